package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IHistoryTyped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The directory we pull from, over FHIR REST: its history per type since a time, page by page (mCSD
 * ITI-91), and the current version of resources that a change refers to.
 */
final class SourceDirectory implements SyncPlanner.SourceLookup {

    /** Ids per search: keeps URLs well under server and proxy limits. */
    private static final int IDS_PER_SEARCH = 50;

    /** A loop of next links (a broken server) must not run forever. */
    private static final int MAXIMUM_PAGES_PER_TYPE = 100_000;

    private final IGenericClient client;

    SourceDirectory(IGenericClient client) {
        this.client = client;
    }

    /**
     * Every entry of {@code [type]/_history?_since=<since>&_count=<pageSize>} for each type, following
     * the next links.
     *
     * @param since null to read the whole history
     * @return the entries, the pages read, and the time up to which the source's history has been read:
     *     the earliest of the first pages' {@code Bundle.meta.lastUpdated} (when the source answered;
     *     for a type whose answer has none, its newest entry, else {@code since}); null when none of these is known
     */
    History readHistory(List<String> types, Instant since, int pageSize) {
        List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
        int pages = 0;
        Instant readUpTo = null;
        for (String type : types) {
            IHistoryTyped<Bundle> query = client.history().onType(type).returnBundle(Bundle.class).count(pageSize);
            if (since != null) {
                query = query.since(new InstantType(Date.from(since))); // to the millisecond
            }
            Bundle page = query.execute();
            Instant answeredAt = page.getMeta().hasLastUpdated() ? page.getMeta().getLastUpdated().toInstant() : null;
            Instant newest = null;
            for (int pagesOfType = 1; ; pagesOfType++) {
                pages++;
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    entries.add(entry);
                    Resource resource = entry.getResource();
                    if (resource != null && resource.getMeta().hasLastUpdated()) {
                        Instant updated = resource.getMeta().getLastUpdated().toInstant();
                        newest = newest == null || updated.isAfter(newest) ? updated : newest;
                    }
                }
                if (page.getLink(Bundle.LINK_NEXT) == null || pagesOfType >= MAXIMUM_PAGES_PER_TYPE) {
                    break;
                }
                page = client.loadPage().next(page).execute();
            }
            Instant covered = answeredAt != null ? answeredAt : newest != null ? newest : since;
            if (covered != null) {
                readUpTo = readUpTo == null || covered.isBefore(readUpTo) ? covered : readUpTo;
            }
        }
        return new History(entries, pages, readUpTo);
    }

    /**
     * @param entries every history entry read, newest first within each type
     * @param pages the pages read
     * @param readUpTo the source's time up to which its history has been read (see {@link #readHistory})
     */
    record History(List<Bundle.BundleEntryComponent> entries, int pages, Instant readUpTo) {
    }

    @Override
    public List<SourceVersion> current(String type, Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<SourceVersion> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IDS_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_SEARCH));
            Bundle page = client.search().forResource(type)
                    .whereMap(Map.of("_id", List.of(String.join(",", chunk))))
                    .count(IDS_PER_SEARCH)
                    .cacheControl(new CacheControlDirective().setNoStore(true).setMaxResults(IDS_PER_SEARCH))
                    .returnBundle(Bundle.class)
                    .execute();
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                if (entry.getResource() != null && entry.getResource().fhirType().equals(type)) {
                    HistoryToChangesMapper.read(entry).ifPresent(found::add);
                }
            }
        }
        return found;
    }
}
