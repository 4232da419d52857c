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
 * <p>HAPI's {@code JpaStorageSettings#setEnforceReferentialIntegrityOnDeleteDisableForPaths} looks the
 * same but applies to {@code $delete-expunge} only (HAPI 8.8).
 */
@Interceptor
final class ProvenanceDoesNotBlockDeletes {

    static final String PROVENANCE_TARGET = "Provenance.target";

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    DeleteConflictOutcome dropProvenanceTargets(DeleteConflictList conflicts) {
        conflicts.removeIf(conflict -> PROVENANCE_TARGET.equals(conflict.getSourcePath()));
        return null; // nothing to retry: the remaining conflicts, if any, refuse the deletion
    }
}
