package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
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

    /** Ids or identifiers per search: keeps URLs well under server and proxy limits. */
    private static final int VALUES_PER_SEARCH = 50;

    /** Completion Provenances looked at per page for the newest watermark (a run may leave several partial ones). */
    private static final int PROVENANCES_PER_PAGE = 20;

    /** Pages of a source's Provenances looked through for a completion before starting from nothing. */
    private static final int MAXIMUM_PROVENANCE_PAGES = 50;

    private static final int NOT_STORED_LIMIT = 1000;
    private static final CacheControlDirective NOT_STORED = new CacheControlDirective().setNoStore(true).setMaxResults(NOT_STORED_LIMIT);

    private final IGenericClient client;

    LocalDirectory(IGenericClient client) {
        this.client = client;
    }

    @Override
    public Map<String, Optional<String>> copies(String type, Collection<String> localIds) {
        Map<String, Optional<String>> copies = new HashMap<>();
        List<String> all = List.copyOf(localIds);
        for (int from = 0; from < all.size(); from += VALUES_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + VALUES_PER_SEARCH));
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
        for (int from = 0; from < all.size(); from += VALUES_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + VALUES_PER_SEARCH));
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
        Bundle page = client.search().forResource(type)
                .whereMap(Map.of(parameter, List.of(values)))
                .elementsSubset(elements)
                .count(NOT_STORED_LIMIT)
                .cacheControl(NOT_STORED)
                .returnBundle(Bundle.class)
                .execute();
        return page.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(resource -> resource != null && resource.fhirType().equals(type))
                .toList();
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
