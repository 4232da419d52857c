package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.function.Supplier;
import jp.nanbyo.fhir.routes.common.LocalFhirServer;
import org.springframework.core.env.Environment;

/** Our FHIR server as a REST client ({@link LocalFhirServer}), made on first use, when the port is known. */
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

    FhirContext fhirContext() {
        return fhir;
    }

    @Override
    public IGenericClient get() {
        IGenericClient current = client;
        if (current == null) {
            current = fhir.newRestfulGenericClient(LocalFhirServer.baseUrl(configured, environment));
            current.setEncoding(EncodingEnum.JSON);
            client = current;
        }
        return current;
    }
}
