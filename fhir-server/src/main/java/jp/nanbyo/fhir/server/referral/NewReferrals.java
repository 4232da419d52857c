package jp.nanbyo.fhir.server.referral;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The referrals (ServiceRequests) created in the current database transaction, as stored, until their first Task is
 * checked. A referral and its Task usually come in one FHIR transaction, and such a referral can have no other Task:
 * no other transaction sees it before this one commits. Its Task's checks then need neither read it back nor lock it
 * and search its Tasks, which was 6 % of the server's CPU at 38 referrals a second. A second Task for it in the same
 * transaction is checked the long way, and finds the first.
 */
final class NewReferrals {

    private static final Object KEY = NewReferrals.class;

    private NewReferrals() {
    }

    /** Notes a referral just stored (nothing outside a transaction: the Task cannot be in the same one then). */
    static void stored(ServiceRequest referral) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, ServiceRequest> created = (Map<String, ServiceRequest>) TransactionSynchronizationManager.getResource(KEY);
        if (created == null) {
            Map<String, ServiceRequest> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(KEY, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                }
            });
            created = fresh;
        }
        created.put("ServiceRequest/" + referral.getIdElement().getIdPart(), referral);
    }

    /** The referral {@code ServiceRequest/<id>} if this transaction created it and no Task of it has been checked yet. */
    static Optional<ServiceRequest> takeForItsFirstTask(String reference) {
        @SuppressWarnings("unchecked")
        Map<String, ServiceRequest> created = (Map<String, ServiceRequest>) TransactionSynchronizationManager.getResource(KEY);
        return created == null || reference == null ? Optional.empty() : Optional.ofNullable(created.remove(reference));
    }
}
