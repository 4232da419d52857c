package jp.nanbyo.fhir.routes.sync;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * What one run will write, in the order it must be written: transactions of units, each unit a set
 * of resources that refer to one another in a cycle (usually one resource), every unit after the
 * units it refers to; deletions last. Besides: what needs no write and what cannot be written.
 *
 * @param transactions the writes, grouped into transactions of at most the source's transaction size
 * @param rejected resources that cannot be written (a reference that cannot be resolved, an
 *     identifier held by several local resources), decided before writing
 * @param unchanged resources whose local copy already holds the version read (or deletions of
 *     resources not held here)
 * @param linked resources not written because a local resource of another origin holds the same
 *     identifier; references to them point to that resource
 * @param fetched resources read from the source beyond its history because a change referred to them
 */
record SyncPlan(List<List<Unit>> transactions, List<Rejection> rejected, int unchanged, int linked, int fetched) {

    enum Action {
        CREATE,
        UPDATE,
        DELETE
    }

    /**
     * One resource to write.
     *
     * @param resource the local form (null for a deletion)
     * @param references the local references it holds ({@code Type/id}), to order the writes
     */
    record Write(Action action, String type, String remoteId, String localId, Resource resource, List<String> references) {

        String localReference() {
            return type + "/" + localId;
        }
    }

    /** Writes that must go into the same transaction (they refer to one another), usually one. */
    record Unit(List<Write> writes) {
    }

    /**
     * A resource of the source that is not written.
     *
     * @param reason why, in English, with ids only (never the resource's content)
     */
    record Rejection(String type, String remoteId, String localId, String reason) {
    }

    int writes() {
        return transactions.stream().flatMap(List::stream).mapToInt(unit -> unit.writes().size()).sum();
    }
}
