package jp.nanbyo.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/** A FHIR client for the server a test started on a random port. */
public final class TestFhirClient {

    /** Its own context: client timeouts are set per context. */
    private static final FhirContext PATIENT = patientContext();

    private TestFhirClient() {
    }

    public static IGenericClient of(int port) {
        FhirContext fhir = FhirContext.forR4Cached();
        // The tests read the CapabilityStatement themselves when they care; no extra round trip per client.
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    }

    /**
     * A client that waits up to two minutes for an answer instead of HAPI's ten seconds: for tests that
     * run two servers side by side, where a first validated write may take longer on 2 busy cores.
     */
    public static IGenericClient patient(int port) {
        return PATIENT.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    }

    private static FhirContext patientContext() {
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setSocketTimeout(120_000);
        return fhir;
    }
}
