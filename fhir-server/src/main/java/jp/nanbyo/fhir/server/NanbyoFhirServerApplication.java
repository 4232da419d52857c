package jp.nanbyo.fhir.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The rare-disease network's FHIR server: HAPI FHIR JPA (R4) under {@code /fhir}, with the
 * integration routes of {@code camel-routes} running in the same process.
 *
 * <p>Auto-configurations excluded because HAPI brings their libraries but we wire those parts
 * ourselves (data source, JPA, schema by HAPI's migrator) or do not use them (Elasticsearch,
 * Quartz, Thymeleaf views).
 */
@SpringBootApplication(
        scanBasePackages = "jp.nanbyo.fhir",
        exclude = {
            DataSourceAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class,
            FlywayAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class,
            QuartzAutoConfiguration.class,
            ThymeleafAutoConfiguration.class
        })
@ConfigurationPropertiesScan
public class NanbyoFhirServerApplication {

    /** Static: it runs before any other bean is made (see the class). */
    @Bean
    static UnknownSettingsCheck unknownSettingsCheck() {
        return new UnknownSettingsCheck();
    }

    public static void main(String[] args) {
        SpringApplication.run(NanbyoFhirServerApplication.class, args);
    }
}
