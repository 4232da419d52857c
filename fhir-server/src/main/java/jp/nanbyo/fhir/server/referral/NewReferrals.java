package jp.nanbyo.fhir.server.referral;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.nanbyo.fhir.server.platform.TransactionScoped;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The referrals (ServiceRequests) created in the current database transaction, as stored, until their first Task is
 * checked. A referral and its Task usually come in one FHIR transaction, and such a referral can have no other Task:
 * no other transaction sees it before this one commits. Its Task's checks then need neither read it back nor lock it
 * and search its Tasks, which was 6 % of the server's CPU at 38 referrals a second. A second Task for it in the same
 * transaction is checked the long way, and finds the first.
 */
final class NewReferrals {

    private static final TransactionScoped<Map<String, ServiceRequest>> CREATED = TransactionScoped.of(HashMap::new);

    private NewReferrals() {
    }

    /** Notes a referral just stored (nothing outside a transaction: the Task cannot be in the same one then). */
    static void stored(ServiceRequest referral) {
        if (TransactionScoped.inTransaction()) {
            CREATED.currentOrNew().put("ServiceRequest/" + referral.getIdElement().getIdPart(), referral);
        }
    }

    /** The referral {@code ServiceRequest/<id>} if this transaction created it and no Task of it has been checked yet. */
    static Optional<ServiceRequest> takeForItsFirstTask(String reference) {
        return reference == null ? Optional.empty() : CREATED.current().map(created -> created.remove(reference));
    }
}
