package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.nanbyo.fhir.server.UnknownSettingsCheck.KnownSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Misspelt settings stop the server; every form Spring binds of a real key passes. */
class UnknownSettingsCheckTest {

    private static final KnownSettings KNOWN = KnownSettings.fromMetadata(UnknownSettingsCheckTest.class.getClassLoader());

    @Test
    void everyFormSpringBindsOfOurKeysIsKnown() {
        List<String> unknown = unknown(
                Map.of("nanbyo.database.url", "jdbc:postgresql://db/nanbyo",
                        "nanbyo.designation-import.remote-sources[0].password", "p",
                        "nanbyo.designationImport.remoteSources[1].knownHostsFile", "/k",
                        "nanbyo.cors.allowed-origins[0]", "https://a.example.jp",
                        "nanbyo.directory-sync.sources[0].types[1]", "Location",
                        "nanbyo.designation-import.maximum-file-size", "20MB",
                        "spring.datasource.url", "not ours"),
                variables("NANBYO_DATABASE_URL", "NANBYO_DESIGNATIONIMPORT_REMOTESOURCES_0_PASSWORD",
                        "NANBYO_DESIGNATION_IMPORT_REMOTE_SOURCES_0_PASSWORD", "NANBYO_CORS_ALLOWED_ORIGINS",
                        "NANBYO_DESIGNATION_IMPORT_FOLDER_POLL_DELAY", "NANBYO_REFERRAL_EXCHANGE_CREDENTIALS_0_AUTH_TOKEN",
                        "NANBYO_DATA_DIR", "PATH", "HOME",
                        // Kubernetes' service links for services named nanbyo and nanbyo-fhir: not ours, not settings
                        "NANBYO_SERVICE_HOST", "NANBYO_SERVICE_PORT", "NANBYO_PORT", "NANBYO_PORT_8080_TCP_ADDR",
                        "NANBYO_FHIR_SERVICE_PORT_HTTP", "NANBYO_FHIR_PORT_8080_TCP_PROTO"));

        assertThat(unknown).isEmpty();
    }

    @Test
    void aMisspeltKeyIsNamedWithWhereItWasSetAndWhatItMostLikelyMeant() {
        List<String> unknown = unknown(
                Map.of("nanbyo.designation-import.remote-sources[0].pasword", "p", "nanbyo.colour", "blue"),
                variables("NANBYO_DATABSE_URL", "NANBYO_REFERRAL_EXCHANGE_PSEUDONYMKEY_EXTRA"));

        assertThat(unknown).containsExactlyInAnyOrder(
                "nanbyo.designation-import.remote-sources[0].pasword (test), did you mean "
                        + "nanbyo.designation-import.remote-sources[n].password?",
                "nanbyo.colour (test)",
                "NANBYO_DATABSE_URL (environment variable), did you mean nanbyo.database.url?",
                "NANBYO_REFERRAL_EXCHANGE_PSEUDONYMKEY_EXTRA (environment variable)");
    }

    @Test
    void aMisspeltKeyStopsTheApplicationBeforeAnyBeanIsMade() {
        SpringApplicationBuilder application = new SpringApplicationBuilder(WithTheCheck.class).web(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--nanbyo.databse.url=jdbc:postgresql://db/nanbyo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Unknown setting(s) under nanbyo., which the server would ignore: nanbyo.databse.url"
                        + " (commandLineArgs), did you mean nanbyo.database.url? (every setting is listed in docs/configuration.md)");
        assertThat(WithTheCheck.made).as("no bean made under the wrong setting").isFalse();
        new SpringApplicationBuilder(WithTheCheck.class).web(WebApplicationType.NONE)
                .run("--nanbyo.database.url=jdbc:postgresql://db/nanbyo").close();
        assertThat(WithTheCheck.made).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    static class WithTheCheck {

        static volatile boolean made;

        @Bean
        static UnknownSettingsCheck unknownSettingsCheck() {
            return new UnknownSettingsCheck();
        }

        @Bean
        Object aBean() {
            made = true;
            return new Object();
        }
    }

    private static List<String> unknown(Map<String, Object> properties, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("variables", variables));
        return UnknownSettingsCheck.unknownSettings(environment, KNOWN);
    }

    private static Map<String, Object> variables(String... names) {
        Map<String, Object> variables = new LinkedHashMap<>();
        Arrays.stream(names).forEach(name -> variables.put(name, "x"));
        return variables;
    }
}
