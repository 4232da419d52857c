package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class NanbyoPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NanbyoProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Binding.class);

    @Test
    void defaultsRunOnTheEmbeddedDatabaseInTheDataFolder() {
        context.run(started -> {
            NanbyoProperties properties = started.getBean(NanbyoProperties.class);
            assertThat(properties.dataDir()).isEqualTo(Path.of("data"));
            assertThat(properties.database().isEmbedded()).isTrue();
            assertThat(properties.database().maximumPoolSize()).isEqualTo(10);
            assertThat(properties.fhir().defaultPageSize()).isEqualTo(20);
            assertThat(properties.fhir().maximumPageSize()).isEqualTo(200);
            assertThat(properties.fhir().openapiEnabled()).isTrue();
            assertThat(properties.fhir().publicBaseUrl()).isEmpty();
            assertThat(properties.cors().allowedOrigins()).containsExactly("*");
            assertThat(properties.subscriptions().enabled()).isTrue();
            assertThat(properties.subscriptions().allowedEndpoints()).containsExactly("https://");
            assertThat(properties.subscriptions().submissionInterval()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void refusesSubscriptionEndpointsThatAreNotHttpAndAnIntervalOutOfRange() {
        context.withPropertyValues("nanbyo.subscriptions.allowed-endpoints=https://partner.example.jp/,ftp://files.example.jp/")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasStackTraceContaining("nanbyo.subscriptions.allowed-endpoints must be http:// or https:// URL prefixes"));
        context.withPropertyValues("nanbyo.subscriptions.submission-interval=100ms")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasStackTraceContaining("nanbyo.subscriptions.submission-interval must be between 1s and 10m"));
    }

    @Test
    void bindsPostgresqlSettingsAsOperatorsWriteThem() {
        context.withPropertyValues(
                        "nanbyo.database.url=jdbc:postgresql://db.example:5432/nanbyo",
                        "nanbyo.database.username=nanbyo",
                        "nanbyo.database.maximum-pool-size=30",
                        "nanbyo.cors.allowed-origins=https://a.example,https://*.b.example")
                .run(started -> {
                    NanbyoProperties properties = started.getBean(NanbyoProperties.class);
                    assertThat(properties.database().isEmbedded()).isFalse();
                    assertThat(properties.database().username()).isEqualTo("nanbyo");
                    assertThat(properties.database().maximumPoolSize()).isEqualTo(30);
                    assertThat(properties.cors().allowedOrigins()).containsExactly("https://a.example", "https://*.b.example");
                });
    }

    @Test
    void refusesADefaultPageLargerThanTheMaximum() {
        context.withPropertyValues("nanbyo.fhir.default-page-size=500", "nanbyo.fhir.maximum-page-size=100")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasStackTraceContaining("nanbyo.fhir.default-page-size must not exceed nanbyo.fhir.maximum-page-size"));
    }

    @Test
    void refusesAPoolTooSmallForHapi() {
        context.withPropertyValues("nanbyo.database.maximum-pool-size=1")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasStackTraceContaining("maximumPoolSize"));
    }
}
