package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;

/**
 * A Provenance records what happened to a resource; it must not keep the resource from being
 * deleted (a synced resource that its source deletes, a hospital removed by hand). The server
 * enforces referential integrity on delete; this storage hook drops the conflicts that come only from
 * {@code Provenance.target}, so the deletion goes ahead, and the Provenance and the resource's history
 * stay (a search by {@code target} still finds them). Every other reference still blocks a deletion.
 *
 * <p>HAPI looks for conflicts first with a query for one referrer only, and looks again for up to
 * {@code maximumDeleteConflictQueryCount} referrers only when a hook asks it to. So when that one was a
 * Provenance, this hook asks for the second look: a HealthcareService or Location behind the Provenance
 * must still refuse the deletion. When even the second look finds Provenances only, and as many as it
 * could read, there may be other referrers beyond; the Provenances are then kept as conflicts (the
 * deletion is refused, naming them) rather than let a real reference go unseen.
 *
 * <p>HAPI's {@code JpaStorageSettings#setEnforceReferentialIntegrityOnDeleteDisableForPaths} looks the
 * same but applies to {@code $delete-expunge} only (HAPI 8.8).
 */
@Interceptor
final class ProvenanceDoesNotBlockDeletes {

    static final String PROVENANCE_TARGET = "Provenance.target";

    /** How many referrers HAPI reads on its second look ({@code JpaStorageSettings#getMaximumDeleteConflictQueryCount}). */
    private final int secondLookLimit;

    ProvenanceDoesNotBlockDeletes(int secondLookLimit) {
        this.secondLookLimit = secondLookLimit;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    DeleteConflictOutcome dropProvenanceTargets(DeleteConflictList conflicts) {
        int found = conflicts.size();
        boolean onlyProvenances = found > 0 && countProvenances(conflicts) == found;
        if (onlyProvenances && found >= secondLookLimit) {
            return null; // possibly cut short: keep them as conflicts, the deletion is refused
        }
        conflicts.removeIf(conflict -> PROVENANCE_TARGET.equals(conflict.getSourcePath()));
        // HAPI's first look reads one referrer: behind a Provenance there may be others; look again, once.
        return onlyProvenances && found == 1 ? new DeleteConflictOutcome().setShouldRetryCount(1) : null;
    }

    private static int countProvenances(DeleteConflictList conflicts) {
        int provenances = 0;
        for (var conflict : conflicts) {
            if (PROVENANCE_TARGET.equals(conflict.getSourcePath())) {
                provenances++;
            }
        }
        return provenances;
    }
}
