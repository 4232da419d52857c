package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads a referral's package from this server over FHIR REST, by id in batches: the Task with the partner's Endpoint,
 * then what the Task names (its referral, patient and organizations), then the referral's supportingInfo if it names
 * any. Reads by id rather than one search with {@code _include}s: about the same CPU on the server, and the referral
 * exchange benchmark ran faster with them (docs/integration/referral-exchange.md, section 11). Reads are never
 * cached: the Task's version is the current one.
 */
final class ReferralPackageReader {

    /** A reference this reader follows: a resource of this server, by type and id (no URL, no version). */
    private static final Pattern LOCAL_REFERENCE = Pattern.compile("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");

    private final Supplier<IGenericClient> server;

    ReferralPackageReader(Supplier<IGenericClient> server) {
        this.server = server;
    }

    /** The package, or empty when the Task no longer exists. */
    Optional<ReferralPackage> read(String taskId, String endpointId) {
        Optional<TaskAndEndpoint> found = readTask(taskId, endpointId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Task task = found.get().task();
        List<Resource> named = readAll(List.of(task.getFocus(), task.getFor(), task.getRequester(), task.getOwner()));
        ServiceRequest referral = as(ServiceRequest.class, named.get(0))
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable ServiceRequest"));
        Patient patient = as(Patient.class, named.get(1)).orElse(null);
        Organization requester = as(Organization.class, named.get(2))
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable requester"));
        Organization owner = as(Organization.class, named.get(3))
                .orElseThrow(() -> new IllegalStateException("Task/" + taskId + " names no readable owner"));
        List<Reference> supporting = referral.getSupportingInfo().stream().map(ReferralPackageReader::local)
                .filter(Objects::nonNull).distinct().map(Reference::new).toList();
        List<Resource> supportingInfo = readAll(supporting).stream().filter(Objects::nonNull).toList();
        return Optional.of(new ReferralPackage(task, referral, patient, requester, owner, found.get().endpoint(), supportingInfo));
    }

    /** A referral Task and the partner's Endpoint (all a cancellation needs). */
    record TaskAndEndpoint(Task task, Endpoint endpoint) {
    }

    /** The Task and the Endpoint in one batch, or empty when the Task no longer exists. */
    Optional<TaskAndEndpoint> readTask(String taskId, String endpointId) {
        List<Resource> read = readAll(List.of(new Reference("Task/" + taskId), new Reference("Endpoint/" + endpointId)));
        Optional<Task> task = as(Task.class, read.get(0));
        if (task.isEmpty()) {
            return Optional.empty();
        }
        Endpoint endpoint = as(Endpoint.class, read.get(1)).orElseThrow(
                () -> new IllegalStateException("Endpoint/" + endpointId + " of Task/" + taskId + " cannot be read"));
        return Optional.of(new TaskAndEndpoint(task.get(), endpoint));
    }

    /**
     * Reads each reference in one batch; answers, in the same order, the resource read, or null where the reference is
     * empty, not to a resource of this server, or not readable (gone, or refused).
     */
    private List<Resource> readAll(List<Reference> references) {
        List<Resource> read = new ArrayList<>(Collections.nCopies(references.size(), null));
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            String local = local(references.get(i));
            if (local != null) {
                batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl(local);
                asked.add(i);
            }
        }
        if (asked.isEmpty()) {
            return read;
        }
        List<BundleEntryComponent> answers = server.get().transaction().withBundle(batch).execute().getEntry();
        for (int j = 0; j < Math.min(asked.size(), answers.size()); j++) {
            Resource answer = answers.get(j).getResource();
            read.set(asked.get(j), answer instanceof OperationOutcome ? null : answer);
        }
        return read;
    }

    /** The reference as {@code Type/id} when it names a resource of this server, else null. */
    private static String local(Reference reference) {
        String value = reference.getReference();
        return value != null && LOCAL_REFERENCE.matcher(value).matches() ? value : null;
    }

    private static <T extends Resource> Optional<T> as(Class<T> type, Resource resource) {
        return type.isInstance(resource) ? Optional.of(type.cast(resource)) : Optional.empty();
    }
}
