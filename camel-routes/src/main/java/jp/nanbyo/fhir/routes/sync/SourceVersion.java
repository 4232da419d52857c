package jp.nanbyo.fhir.routes.sync;

import java.time.Instant;
import org.hl7.fhir.r4.model.Resource;

/**
 * One version of a resource at the source, as its history (or a read) gave it.
 *
 * @param type the resource type
 * @param id the resource's id at the source
 * @param version its version id at the source ({@code meta.versionId}); may be null when the source gives none
 * @param lastUpdated when the source stored it; null for a deletion (history entries of deletions carry no time)
 * @param resource the resource as the source holds it; null when this version is a deletion
 */
record SourceVersion(String type, String id, String version, Instant lastUpdated, Resource resource) {

    boolean deleted() {
        return resource == null;
    }

    /** {@code Type/id}: the resource at the source, whatever its version. */
    String key() {
        return type + "/" + id;
    }
}
