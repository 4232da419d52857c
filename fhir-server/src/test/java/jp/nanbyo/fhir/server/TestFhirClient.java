package jp.nanbyo.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/** A FHIR client for the server a test started on a random port. */
public final class TestFhirClient {

    private TestFhirClient() {
    }

    public static IGenericClient of(int port) {
        FhirContext fhir = FhirContext.forR4Cached();
        // The tests read the CapabilityStatement themselves when they care; no extra round trip per client.
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    }
}
