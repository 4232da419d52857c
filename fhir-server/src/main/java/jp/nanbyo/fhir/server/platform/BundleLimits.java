package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;

/**
 * How much one transaction or batch Bundle may ask of the server, checked after it is parsed and before any entry is
 * processed; both limits protect the heap, since HAPI holds a Bundle's work in memory until it answers.
 *
 * <ul>
 *   <li>At most {@code nanbyo.fhir.maximum-bundle-entries} entries. A transaction keeps everything it writes
 *       (resources, versions, search indexes: some twenty Hibernate entities per resource) until it commits, about
 *       50 kB per entry. Measured before this limit, with {@code -Xmx768m}: a 31.5 MB transaction of 34,000
 *       Organizations (under the request size limit) ran the server out of memory after six minutes of garbage
 *       collection; one of 5,000 took its heap from 365 MB to 631 MB. HAPI's own limit
 *       ({@code setMaximumTransactionBundleSize}) leaves batches out and answers in English only.</li>
 *   <li>At most {@code nanbyo.fhir.maximum-bundle-searches} entries that are not a read or a version read: searches,
 *       histories, operations. Each answers up to a page of resources (and their includes), all kept until the whole
 *       answer is sent. Measured before this limit: a 60 kB batch of 1,000 searches of 200 Organizations each ran the
 *       same server out of memory.</li>
 *   <li>At most twice {@code nanbyo.fhir.maximum-bundle-entries} entries in Bundles being processed at once; a Bundle
 *       that would pass it waits its turn ({@link HeapTurns}), then is refused with 503 and Retry-After.
 *       Measured before this limit: four transactions of 2,000 Organizations sent together filled the heap of a
 *       {@code -Xmx768m} server (766 of 768 MB), and two of them failed after 80 s on a database lock held while
 *       the others crawled through garbage collection.</li>
 * </ul>
 *
 * <p>Registered with the REST server, not the storage layer: it bounds what clients send (the turn is given back when
 * HAPI has answered the request), and the server's own internal transactions are not held.
 */
@Interceptor
final class BundleLimits {

    /** {@code Type/id} or {@code Type/id/_history/version}, with or without parameters: one resource. */
    private static final Pattern READ = Pattern.compile("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");

    private static final String ENTRIES_HELD = BundleLimits.class.getName() + ".entriesHeld";

    private final int maximumEntries;
    private final int maximumSearches;
    private final HeapTurns entriesAtOnce;

    BundleLimits(int maximumEntries, int maximumSearches) {
        this(maximumEntries, maximumSearches, HeapTurns.LONGEST_WAIT);
    }

    BundleLimits(int maximumEntries, int maximumSearches, Duration longestWait) {
        this.maximumEntries = maximumEntries;
        this.maximumSearches = maximumSearches;
        this.entriesAtOnce = new HeapTurns(maximumEntries, longestWait, "他の大きな Bundle を処理中",
                "other large Bundles are being processed");
    }

    /** Called for transactions and batches alike. */
    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
    public void refuseTooMuch(RequestDetails request, IBaseBundle bundle) {
        List<BundleEntryComponent> entries = ((Bundle) bundle).getEntry();
        if (entries.size() > maximumEntries) {
            throw tooLarge("Bundle のエントリーが多すぎます（%,d 件、上限 %,d 件）", "the Bundle has too many entries: %,d, the limit is %,d",
                    entries.size(), maximumEntries);
        }
        long searches = entries.stream().filter(BundleLimits::readsMoreThanOneResource).count();
        if (searches > maximumSearches) {
            throw tooLarge("Bundle の検索が多すぎます（検索・履歴・操作 %,d 件、上限 %,d 件）",
                    "the Bundle holds too many searches (searches, histories and operations): %,d, the limit is %,d",
                    searches, maximumSearches);
        }
        waitForRoom(request, entries.size());
    }

    private void waitForRoom(RequestDetails request, int entries) {
        if (request == null || request.getUserData().containsKey(ENTRIES_HELD)) {
            return; // not from a client, or a Bundle nested in one already admitted
        }
        entriesAtOnce.take(entries);
        request.getUserData().put(ENTRIES_HELD, entries);
    }

    /** HAPI calls this however the request ended, an exception included. */
    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void done(RequestDetails request) {
        Object held = request.getUserData().remove(ENTRIES_HELD);
        if (held != null) {
            entriesAtOnce.giveBack((Integer) held);
        }
    }

    /** Entries of Bundles being processed now. */
    int entriesInProgress() {
        return entriesAtOnce.inUse();
    }

    private static boolean readsMoreThanOneResource(BundleEntryComponent entry) {
        HTTPVerb method = entry.getRequest().getMethod();
        if (method != HTTPVerb.GET && method != HTTPVerb.HEAD) {
            return false;
        }
        String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl();
        int query = url.indexOf('?');
        return !READ.matcher(query < 0 ? url : url.substring(0, query)).matches();
    }

    private static PayloadTooLargeException tooLarge(String ja, String en, long count, int limit) {
        return new PayloadTooLargeException(String.format(Locale.ROOT, ja + "。何も処理していません。Bundle を分けて送るか、"
                + "運用担当に上限の引き上げを相談してください (" + en + "; nothing was processed: split it, or ask the operators"
                + " to raise the limit).", count, limit, count, limit));
    }
}
