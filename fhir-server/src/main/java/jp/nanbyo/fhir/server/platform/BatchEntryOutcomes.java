package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.jpa.dao.r4.TransactionProcessorVersionAdapterR4;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A refused entry of a batch answers with the OperationOutcome its refusal carries, as the same request sent on its own
 * does. HAPI's R4 adapter otherwise replaces it with one issue of code {@code exception} holding only the message, so
 * a client could not tell a broken business rule ({@code business-rule}, with its expression) from a server fault.
 * A refusal without an OperationOutcome keeps HAPI's.
 */
class BatchEntryOutcomes extends TransactionProcessorVersionAdapterR4 {

    @Override
    public void populateEntryWithOperationOutcome(BaseServerResponseException refusal, Bundle.BundleEntryComponent entry) {
        if (refusal.getOperationOutcome() instanceof OperationOutcome outcome) {
            entry.getResponse().setOutcome(outcome.copy());
        } else {
            super.populateEntryWithOperationOutcome(refusal, entry);
        }
    }
}
