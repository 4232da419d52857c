package jp.nanbyo.fhir.routes.common;

import org.springframework.core.env.Environment;

/** Where the routes find our own FHIR server: the configured base URL, else this process's own {@code /fhir}. */
public final class LocalFhirServer {

    private LocalFhirServer() {
    }

    /**
     * Ask late (on first use): in the server's own JVM the HTTP port ({@code local.server.port}) is only known once the
     * server has started.
     *
     * @param configured a route's {@code fhir-base-url}; empty or null = this server
     */
    public static String baseUrl(String configured, Environment environment) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port + "/fhir";
    }
}
