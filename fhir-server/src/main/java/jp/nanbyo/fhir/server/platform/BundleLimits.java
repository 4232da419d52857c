package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
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
 * </ul>
 */
@Interceptor
final class BundleLimits {

    /** {@code Type/id} or {@code Type/id/_history/version}, with or without parameters: one resource. */
    private static final Pattern READ = Pattern.compile("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");

    private final int maximumEntries;
    private final int maximumSearches;

    BundleLimits(int maximumEntries, int maximumSearches) {
        this.maximumEntries = maximumEntries;
        this.maximumSearches = maximumSearches;
    }

    /** Called for transactions and batches alike. */
    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
    public void refuseTooMuch(IBaseBundle bundle) {
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
