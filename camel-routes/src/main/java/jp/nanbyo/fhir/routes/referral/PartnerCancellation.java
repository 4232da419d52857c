package jp.nanbyo.fhir.routes.referral;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Tells a FHIR REST partner that the requester cancelled a referral the partner holds: finds the partner's copy of
 * the Task by our identifier (with its ServiceRequest, {@code _include=Task:focus}) and sets the Task
 * {@code cancelled} with the requester's reason and the ServiceRequest {@code revoked}, in one transaction whose
 * updates are conditional on the versions found (If-Match). A partner that changed its copy meanwhile answers 409 or
 * 412; that is retried (the next attempt reads the copy again), never overwritten. A copy already final at the
 * partner (completed, declined, cancelled) is left as it is; a partner without a copy has nothing to cancel.
 */
final class PartnerCancellation {

    private static final Set<Task.TaskStatus> FINAL = EnumSet.of(Task.TaskStatus.CANCELLED, Task.TaskStatus.COMPLETED,
            Task.TaskStatus.REJECTED, Task.TaskStatus.FAILED, Task.TaskStatus.ENTEREDINERROR);
    private static final Set<ServiceRequest.ServiceRequestStatus> OPEN_REQUEST = EnumSet.of(ServiceRequest.ServiceRequestStatus.DRAFT,
            ServiceRequest.ServiceRequestStatus.ACTIVE, ServiceRequest.ServiceRequestStatus.ONHOLD);

    /** What came of a cancellation: whether the partner's copy was cancelled now, and if not, why not. */
    record Outcome(boolean cancelled, String why) {
    }

    private final FhirPartnerClient client;

    PartnerCancellation(FhirPartnerClient client) {
        this.client = client;
    }

    Outcome cancel(String base, Identifier ours, CodeableConcept reason, Optional<String> authToken)
            throws DeliveryFailure, InterruptedException {
        String query = "Task?identifier=" + URLEncoder.encode(ours.getSystem() + "|" + ours.getValue(), StandardCharsets.UTF_8)
                + "&_include=Task:focus";
        Bundle found = client.search(base, query, authToken);
        List<Task> copies = found.getEntry().stream()
                .filter(entry -> entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Task.class::isInstance).map(Task.class::cast)
                .toList();
        if (copies.isEmpty()) {
            return new Outcome(false, "the partner holds no copy of the referral");
        }
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Task copy : copies) {
            if (FINAL.contains(copy.getStatus())) {
                continue;
            }
            copy.setStatus(Task.TaskStatus.CANCELLED).setStatusReason(reason.copy());
            update(transaction, base, copy);
            focus(found, copy).filter(request -> OPEN_REQUEST.contains(request.getStatus())).ifPresent(request -> {
                request.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);
                update(transaction, base, request);
            });
        }
        if (transaction.getEntry().isEmpty()) {
            return new Outcome(false, "the partner's copy is " + copies.get(0).getStatus().toCode() + " already");
        }
        try {
            client.send(base, transaction, authToken);
        } catch (DeliveryFailure failure) {
            if (failure.status() == 409 || failure.status() == 412) {
                throw DeliveryFailure.temporary("the partner's copy changed meanwhile (" + failure.getMessage() + "): read again", failure);
            }
            throw failure;
        }
        return new Outcome(true, "cancelled at the partner");
    }

    private static Optional<ServiceRequest> focus(Bundle found, Task copy) {
        String focus = copy.getFocus().getReferenceElement().getIdPart();
        return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast)
                .filter(request -> request.getIdElement().getIdPart().equals(focus))
                .findFirst();
    }

    private static void update(Bundle transaction, String base, Resource resource) {
        String reference = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        transaction.addEntry()
                .setFullUrl(FhirPartnerClient.withoutSlash(base) + "/" + reference)
                .setResource(resource)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl(reference).setIfMatch("W/\"" + resource.getMeta().getVersionId() + "\"");
    }
}
