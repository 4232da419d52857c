package jp.nanbyo.fhir.routes.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns the entries of history bundles (mCSD ITI-91 answers, every page of every type) into the
 * changes to apply: the newest version of each resource, whether an update or a deletion. A
 * resource changed five times since the watermark is applied once, as its last version; a
 * resource deleted and then created again is created.
 */
final class HistoryToChangesMapper {

    /** {@code Type/id/_history/version}, relative or at the end of an absolute URL. */
    private static final Pattern VERSIONED = Pattern.compile("(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})/_history/([^/?#]+)$");
    private static final Pattern UNVERSIONED = Pattern.compile("(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})$");

    private HistoryToChangesMapper() {
    }

    /**
     * @param entries history entries in any order (a history bundle lists the newest first)
     * @return the newest version of each resource, in the order each resource was first met; entries
     *     that name no resource are left out (a count of them is in {@link Result#unreadable()})
     */
    static Result newestPerResource(List<Bundle.BundleEntryComponent> entries) {
        Map<String, SourceVersion> newest = new LinkedHashMap<>();
        int unreadable = 0;
        for (Bundle.BundleEntryComponent entry : entries) {
            Optional<SourceVersion> version = read(entry);
            if (version.isEmpty()) {
                unreadable++;
                continue;
            }
            newest.merge(version.get().key(), version.get(), HistoryToChangesMapper::newer);
        }
        return new Result(new ArrayList<>(newest.values()), unreadable);
    }

    /**
     * @param changes the newest version of each resource read
     * @param unreadable history entries that named no resource (neither a resource with an id nor a
     *     request URL {@code Type/id/_history/version})
     */
    record Result(List<SourceVersion> changes, int unreadable) {
    }

    /** One entry as a version: a resource with its id and meta, or a deletion named by its request URL. */
    static Optional<SourceVersion> read(Bundle.BundleEntryComponent entry) {
        boolean deletion = entry.hasRequest() && entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE;
        if (!deletion && entry.getResource() != null && entry.getResource().getIdElement().hasIdPart()) {
            Resource resource = entry.getResource();
            String version = resource.getMeta().hasVersionId() ? resource.getMeta().getVersionId()
                    : resource.getIdElement().getVersionIdPart();
            Instant lastUpdated = resource.getMeta().hasLastUpdated() ? resource.getMeta().getLastUpdated().toInstant() : null;
            return Optional.of(new SourceVersion(resource.fhirType(), resource.getIdElement().getIdPart(), version,
                    lastUpdated, resource));
        }
        if (!deletion) {
            return Optional.empty();
        }
        for (String url : List.of(entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl(),
                entry.getFullUrl() == null ? "" : entry.getFullUrl())) {
            Matcher versioned = VERSIONED.matcher(url);
            if (versioned.find()) {
                return Optional.of(new SourceVersion(versioned.group(1), versioned.group(2), versioned.group(3), null, null));
            }
            Matcher unversioned = UNVERSIONED.matcher(url);
            if (unversioned.find()) {
                return Optional.of(new SourceVersion(unversioned.group(1), unversioned.group(2), null, null, null));
            }
        }
        return Optional.empty();
    }

    /**
     * The newer of two versions of one resource: by version number when both have one (HAPI and most
     * servers count up from 1), else by time, else the one met first (a history lists the newest first).
     */
    static SourceVersion newer(SourceVersion first, SourceVersion second) {
        Long a = number(first.version());
        Long b = number(second.version());
        if (a != null && b != null) {
            return b > a ? second : first;
        }
        if (first.lastUpdated() != null && second.lastUpdated() != null) {
            return second.lastUpdated().isAfter(first.lastUpdated()) ? second : first;
        }
        return first;
    }

    static Long number(String version) {
        if (version == null || version.isEmpty() || version.length() > 18 || !version.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(version);
    }
}
