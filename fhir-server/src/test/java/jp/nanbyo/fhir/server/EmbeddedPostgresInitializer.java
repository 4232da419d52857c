package jp.nanbyo.fhir.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real PostgreSQL server (zonky's embedded binaries) for one test context and points
 * {@code nanbyo.database.url} at it. The server is registered as the context's first disposable
 * bean, so it stops after the connection pool closes, not before (stopping it first costs a
 * 30-second wait at JVM exit).
 */
public class EmbeddedPostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        EmbeddedPostgres postgres = start();
        TestPropertyValues.of("nanbyo.database.url=" + postgres.getJdbcUrl("postgres", "postgres")).applyTo(context);
        DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
        beanFactory.registerSingleton("embeddedPostgres", postgres);
        beanFactory.registerDisposableBean("embeddedPostgres", postgres::close);
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }
}
