package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The REST contract on a real PostgreSQL server (embedded binaries, started for this suite), the
 * production database: its schema must come from HAPI's migrator alone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class FhirRestOnPostgresIT extends FhirRestContract {

    static final Path DATA_DIR = TestDataDir.fresh("it-postgres-data-");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
    }

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Override
    String expectedDatabaseProduct() {
        return "PostgreSQL";
    }

    @Test
    void hibernateNeverTouchesTheSchema() {
        assertThat(entityManagerFactory.getProperties()).containsEntry(AvailableSettings.HBM2DDL_AUTO, "none");
    }
}
