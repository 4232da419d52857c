package jp.nanbyo.fhir.routes.sync;

import java.time.Instant;
import java.util.List;

/**
 * What one sync run did: for the direct endpoint's caller, the HTTP trigger, the logs and the
 * metrics. Ids and counts only, never a resource's content.
 *
 * @param source the source's id
 * @param baseUrl the source's FHIR base
 * @param full whether the run read the whole history and wrote every resource again (a resync)
 * @param since the {@code _since} sent (the last watermark less the overlap); null when the whole history was read
 * @param watermark the source's time up to which its changes are applied after this run
 * @param watermarkRecorded whether this run recorded that watermark (with its last transaction)
 * @param pages history pages read
 * @param read resources read (the newest version of each changed one, and those a change referred to)
 * @param unreadable history entries that named no resource (a source's error; left out)
 * @param counts what happened to them
 * @param rejected the resources not written, and why
 * @param transactions FHIR transactions committed
 * @param provenances the Provenances written, {@code Provenance/<id>}
 * @param durationMillis time taken
 */
public record SyncReport(
        String source,
        String baseUrl,
        boolean full,
        Instant since,
        Instant watermark,
        boolean watermarkRecorded,
        int pages,
        int read,
        int unreadable,
        Counts counts,
        List<Rejected> rejected,
        int transactions,
        List<String> provenances,
        long durationMillis) {

    /**
     * @param created resources new to this directory
     * @param updated resources whose local copy was updated
     * @param deleted resources deleted because the source deleted them
     * @param unchanged resources whose local copy already held the version read, deletions of
     *     resources not held here, and writes the server found identical
     * @param linked resources not written because a local resource of another origin holds the same
     *     identifier (references to them point to it)
     * @param rejected resources not written: see {@link SyncReport#rejected()}
     * @param fetched resources read beyond the history because a change referred to them
     */
    public record Counts(int created, int updated, int deleted, int unchanged, int linked, int rejected, int fetched) {
    }

    /**
     * @param resourceType the resource's type
     * @param sourceId its id at the source
     * @param localId the id it has, or would have, here
     * @param reason why it was not written (the server's diagnostics, or the sync's own reason)
     */
    public record Rejected(String resourceType, String sourceId, String localId, String reason) {
    }
}
