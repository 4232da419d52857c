package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class DirectorySyncPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DirectorySyncProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Binding.class);

    @Test
    void noSourceConfiguredMeansNone() {
        context.run(started -> {
            DirectorySyncProperties properties = started.getBean(DirectorySyncProperties.class);
            assertThat(properties.sources()).isEmpty();
            assertThat(properties.fhirBaseUrl()).isEmpty();
        });
    }

    @Test
    void bindsASourceWithTheDefaultsOfAnMcsdDirectory() {
        context.withPropertyValues(
                        "nanbyo.directory-sync.sources[0].id=gunma",
                        "nanbyo.directory-sync.sources[0].base-url=https://fhir.pref.gunma.example/fhir/")
                .run(started -> {
                    Source source = started.getBean(DirectorySyncProperties.class).source("gunma");
                    assertThat(source.base()).as("without the trailing slash").isEqualTo("https://fhir.pref.gunma.example/fhir");
                    assertThat(source.routeId()).isEqualTo("directory-sync-gunma");
                    assertThat(source.types()).containsExactlyElementsOf(DirectorySyncProperties.DIRECTORY_TYPES);
                    assertThat(source.pollInterval()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(source.initialDelay()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(source.pageSize()).isEqualTo(100);
                    assertThat(source.transactionSize()).isEqualTo(200);
                    assertThat(source.overlap()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(source.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(source.readTimeout()).isEqualTo(Duration.ofSeconds(60));
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "nanbyo.directory-sync.sources[0].id=Gunma.East", // a dot would make local ids ambiguous
        "nanbyo.directory-sync.sources[0].base-url=ftp://fhir.example/fhir",
        "nanbyo.directory-sync.sources[0].base-url=https://user:secret@fhir.example/fhir",
        "nanbyo.directory-sync.sources[0].types=Organization,Patient",
        "nanbyo.directory-sync.sources[0].types=Organization,Organization",
        "nanbyo.directory-sync.sources[0].page-size=0",
        "nanbyo.directory-sync.sources[0].transaction-size=1001",
        "nanbyo.directory-sync.sources[0].poll-interval=500ms",
        "nanbyo.directory-sync.sources[0].overlap=-1s",
        "nanbyo.directory-sync.sources[1].id=gunma",
        "nanbyo.directory-sync.fhir-base-url=localhost:8080/fhir"
    })
    void aBrokenRuleStopsTheStartNamingTheKey(String broken) {
        context.withPropertyValues(
                        "nanbyo.directory-sync.sources[0].id=gunma",
                        "nanbyo.directory-sync.sources[0].base-url=https://fhir.pref.gunma.example/fhir",
                        "nanbyo.directory-sync.sources[1].base-url=https://fhir.pref.tochigi.example/fhir",
                        "nanbyo.directory-sync.sources[1].id=tochigi",
                        broken)
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasStackTraceContaining("nanbyo.directory-sync"));
    }
}
