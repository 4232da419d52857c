package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads a referral's package from this server over FHIR REST, in two requests: the Task with its referral, patient
 * and organizations ({@code _include}), then one batch for the partner's Endpoint and the referral's supportingInfo.
 * Reads unstored ({@code Cache-Control: no-store}): the Task's version must be the current one.
 */
final class ReferralPackageReader {

    private final Supplier<IGenericClient> server;

    ReferralPackageReader(Supplier<IGenericClient> server) {
        this.server = server;
    }

    /** The package, or empty when the Task no longer exists. */
    Optional<ReferralPackage> read(String taskId, String endpointId) {
        Bundle found = server.get().search().forResource(Task.class)
                .where(Task.RES_ID.exactly().code(taskId))
                .include(Task.INCLUDE_FOCUS)
                .include(Task.INCLUDE_OWNER)
                .include(Task.INCLUDE_REQUESTER)
                .include(Task.INCLUDE_PATIENT)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoStore(true).setNoCache(true))
                .returnBundle(Bundle.class)
                .execute();
        Task task = first(found, Task.class, "Task/" + taskId).orElse(null);
        if (task == null) {
            return Optional.empty();
        }
        ServiceRequest referral = first(found, ServiceRequest.class, task.getFocus().getReference())
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable ServiceRequest"));
        Patient patient = first(found, Patient.class, task.getFor().getReference()).orElse(null);
        Organization requester = first(found, Organization.class, task.getRequester().getReference())
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable requester"));
        Organization owner = first(found, Organization.class, task.getOwner().getReference())
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable owner"));

        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Endpoint/" + endpointId);
        List<String> supporting = referral.getSupportingInfo().stream().map(Reference::getReference)
                .filter(reference -> reference != null && reference.matches("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}"))
                .distinct().toList();
        supporting.forEach(reference -> batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl(reference));
        Bundle answers = server.get().transaction().withBundle(batch).execute();
        Endpoint endpoint = answers.getEntry().isEmpty() || !(answers.getEntryFirstRep().getResource() instanceof Endpoint e)
                ? null : e;
        if (endpoint == null) {
            throw new IllegalStateException("Endpoint/" + endpointId + " of Task/" + taskId + " cannot be read");
        }
        List<Resource> supportingInfo = new ArrayList<>();
        for (BundleEntryComponent answer : answers.getEntry().subList(1, answers.getEntry().size())) {
            if (answer.getResource() != null && !(answer.getResource() instanceof org.hl7.fhir.r4.model.OperationOutcome)) {
                supportingInfo.add(answer.getResource());
            }
        }
        return Optional.of(new ReferralPackage(task, referral, patient, requester, owner, endpoint, supportingInfo));
    }

    /** A referral Task and a partner's Endpoint, for a cancellation. */
    record TaskAndEndpoint(Task task, Endpoint endpoint) {
    }

    /** The Task and the Endpoint in one batch, or empty when the Task no longer exists. */
    Optional<TaskAndEndpoint> readTask(String taskId, String endpointId) {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Task/" + taskId);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Endpoint/" + endpointId);
        Bundle answers = server.get().transaction().withBundle(batch).execute();
        if (answers.getEntry().size() != 2 || !(answers.getEntry().get(0).getResource() instanceof Task task)) {
            return Optional.empty();
        }
        if (!(answers.getEntry().get(1).getResource() instanceof Endpoint endpoint)) {
            throw new IllegalStateException("Endpoint/" + endpointId + " of Task/" + taskId + " cannot be read");
        }
        return Optional.of(new TaskAndEndpoint(task, endpoint));
    }

    private static <T extends Resource> Optional<T> first(Bundle bundle, Class<T> type, String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        String idPart = reference.substring(reference.lastIndexOf('/') + 1);
        return bundle.getEntry().stream().map(BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast)
                .filter(resource -> resource.getIdElement().getIdPart().equals(idPart))
                .findFirst();
    }
}
