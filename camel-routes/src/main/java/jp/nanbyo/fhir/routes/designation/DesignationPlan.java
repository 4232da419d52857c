package jp.nanbyo.fhir.routes.designation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The writes that bring the directory in line with a list: creates, updates and ends, nothing else. */
record DesignationPlan(List<Write> writes, int unchanged) {

    enum Action {
        CREATE("create"), UPDATE("update"), END("end");

        final String code;

        Action(String code) {
            this.code = code;
        }
    }

    /**
     * One write. A create is conditional on the resource's identifier (so a second node importing
     * the same list at the same time cannot duplicate it); an update or an end is conditional on the
     * version read (so a change made meanwhile fails the transaction instead of being overwritten).
     */
    record Write(Action action, Resource resource, String fullUrl, String identifier, String version, String description) {

        /** How the Provenance and other entries of the same transaction refer to this resource. */
        Reference reference() {
            return new Reference(fullUrl);
        }

        ImportReport.Change change() {
            return new ImportReport.Change(action.code, resource.fhirType(), identifier, description);
        }
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    ImportReport.Counts counts() {
        int created = count(Action.CREATE);
        int updated = count(Action.UPDATE);
        int ended = count(Action.END);
        return new ImportReport.Counts(created, updated, ended, unchanged);
    }

    List<ImportReport.Change> changes() {
        return writes.stream().map(Write::change).toList();
    }

    /** All writes and the Provenance that records them, as one FHIR transaction. */
    Bundle transaction(Provenance provenance) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Write write : writes) {
            BundleEntryComponent entry = bundle.addEntry().setFullUrl(write.fullUrl()).setResource(write.resource());
            if (write.action() == Action.CREATE) {
                // In the `Type?identifier=` form (which HAPI accepts besides the bare query) the server resolves all
                // of a transaction's conditions in one query before it writes; a bare query costs a search per entry.
                String type = write.resource().fhirType();
                entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type)
                        .setIfNoneExist(type + "?identifier=" + URLEncoder.encode(write.identifier(), StandardCharsets.UTF_8));
            } else {
                entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(write.fullUrl())
                        .setIfMatch("W/\"" + write.version() + "\"");
            }
        }
        writes.forEach(write -> provenance.addTarget(write.reference()));
        bundle.addEntry().setResource(provenance).getRequest().setMethod(HTTPVerb.POST).setUrl("Provenance");
        return bundle;
    }

    private int count(Action action) {
        return (int) writes.stream().filter(write -> write.action() == action).count();
    }
}
