package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;

/**
 * Our own directory as the sync sees it, over FHIR REST (never HAPI's DAOs): which of a source's
 * resources it holds and at which source version, which local resources hold an identifier, the
 * last watermark recorded, and transactions.
 */
final class LocalDirectory implements SyncPlanner.LocalLookup {

    /** Ids per search, and identifiers per search (longer: a designation's is ~90 characters encoded): URLs stay under 8 KB. */
    private static final int IDS_PER_SEARCH = 50;
    private static final int IDENTIFIERS_PER_SEARCH = 30;

    /** Completion Provenances looked at per page for the newest watermark (a run may leave several partial ones). */
    private static final int PROVENANCES_PER_PAGE = 20;

    /** Pages of a source's Provenances looked through for a completion before starting from nothing. */
    private static final int MAXIMUM_PROVENANCE_PAGES = 50;

    /**
     * Searches answered at once, without the server storing the result for paging (cheaper): such an
     * answer has no next link, so it must fit; 100 is twice the most one of our searches can match
     * (a few resources may share an identifier) and within the server's page size.
     */
    private static final int NOT_STORED_LIMIT = 100;
    private static final CacheControlDirective NOT_STORED = new CacheControlDirective().setNoStore(true).setMaxResults(NOT_STORED_LIMIT);

    private final IGenericClient client;

    LocalDirectory(IGenericClient client) {
        this.client = client;
    }

    @Override
    public Map<String, Optional<String>> copies(String type, Collection<String> localIds) {
        Map<String, Optional<String>> copies = new HashMap<>();
        List<String> all = List.copyOf(localIds);
        for (int from = 0; from < all.size(); from += IDS_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_SEARCH));
            for (Resource copy : search(type, "_id", String.join(",", chunk), "id")) {
                copies.put(copy.getIdElement().getIdPart(), Optional.ofNullable(copy.getMeta().getSource()));
            }
        }
        return copies;
    }

    @Override
    public Map<String, Set<String>> holders(String type, Collection<String> identifierKeys) {
        Map<String, Set<String>> holders = new HashMap<>();
        List<String> all = List.copyOf(identifierKeys);
        for (int from = 0; from < all.size(); from += IDENTIFIERS_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDENTIFIERS_PER_SEARCH));
            String values = String.join(",", chunk.stream().map(LocalDirectory::escape).toList());
            for (Resource holder : search(type, "identifier", values, "identifier")) {
                for (String key : SyncPlanner.identifierKeys(holder)) {
                    if (chunk.contains(key)) {
                        holders.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(holder.getIdElement().getIdPart());
                    }
                }
            }
        }
        return holders;
    }

    private List<Resource> search(String type, String parameter, String values, String elements) {
        Bundle page = query(type, parameter, values, elements).cacheControl(NOT_STORED).execute();
        if (page.getEntry().size() >= NOT_STORED_LIMIT) {
            // Possibly cut (an unstored answer has no next link): ask again, stored, and page through it.
            page = query(type, parameter, values, elements).execute();
        }
        List<Resource> found = new ArrayList<>();
        for (Bundle current = page; current != null;
                current = current.getLink(Bundle.LINK_NEXT) == null ? null : client.loadPage().next(current).execute()) {
            current.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(resource -> resource != null && resource.fhirType().equals(type))
                    .forEach(found::add);
        }
        return found;
    }

    private IQuery<Bundle> query(String type, String parameter, String values, String elements) {
        return client.search().forResource(type)
                .whereMap(Map.of(parameter, List.of(values)))
                .elementsSubset(elements)
                .count(NOT_STORED_LIMIT)
                .returnBundle(Bundle.class);
    }

    /**
     * The newest watermark recorded for a source: the latest {@code occurredPeriod.end} among the
     * Provenances whose agent is the source's sync Device and that completed a run. Empty when no run
     * has completed yet (the first run reads the whole history).
     */
    Optional<Instant> watermark(String deviceReference) {
        Bundle page = client.search().forResource(Provenance.class)
                .whereMap(Map.of("agent", List.of(deviceReference)))
                .sort().descending(Provenance.RECORDED)
                .count(PROVENANCES_PER_PAGE)
                .elementsSubset("occurred", "recorded") // not the targets: a first run names thousands
                .returnBundle(Bundle.class)
                .execute();
        for (int pages = 1; ; pages++) {
            Optional<Instant> newest = page.getEntry().stream()
                    .map(entry -> (Provenance) entry.getResource())
                    .filter(provenance -> provenance.hasOccurredPeriod() && provenance.getOccurredPeriod().hasEnd())
                    .map(provenance -> provenance.getOccurredPeriod().getEnd().toInstant())
                    .max(Instant::compareTo);
            if (newest.isPresent() || page.getLink(Bundle.LINK_NEXT) == null || pages >= MAXIMUM_PROVENANCE_PAGES) {
                return newest;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    Bundle transaction(Bundle transaction) {
        return client.transaction().withBundle(transaction).execute();
    }

    /** FHIR search escapes: a comma or backslash inside a value would split it. */
    private static String escape(String key) {
        return key.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$");
    }
}
