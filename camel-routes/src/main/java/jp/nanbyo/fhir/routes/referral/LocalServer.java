package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.function.Supplier;
import org.springframework.core.env.Environment;

/**
 * Our FHIR server as a REST client ({@code fhir-base-url}, else {@code http://localhost:<server port>/fhir}), made
 * on first use: in the server's own JVM the HTTP port is only known once the server has started.
 */
final class LocalServer implements Supplier<IGenericClient> {

    private final FhirContext fhir;
    private final String configured;
    private final Environment environment;
    private volatile IGenericClient client;

    LocalServer(FhirContext fhir, String configured, Environment environment) {
        this.fhir = fhir;
        this.configured = configured;
        this.environment = environment;
    }

    @Override
    public IGenericClient get() {
        IGenericClient current = client;
        if (current == null) {
            String base = configured.isBlank()
                    ? "http://localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")) + "/fhir"
                    : configured;
            current = fhir.newRestfulGenericClient(base);
            current.setEncoding(EncodingEnum.JSON);
            client = current;
        }
        return current;
    }
}
