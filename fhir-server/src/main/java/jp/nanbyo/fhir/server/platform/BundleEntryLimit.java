package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseBundle;

/**
 * A transaction or batch Bundle may hold at most {@code nanbyo.fhir.maximum-bundle-entries} entries. HAPI keeps
 * everything a transaction writes (resources, versions, search indexes: some twenty Hibernate entities per resource)
 * in memory until it commits, about 50 kB per entry: measured before this limit, a 31.5 MB transaction of 34,000
 * Organizations (under the request size limit) ran a server with {@code -Xmx768m} out of memory after six minutes of
 * garbage collection, and one of 5,000 took its heap from 365 MB to 631 MB. HAPI's own limit
 * ({@code setMaximumTransactionBundleSize}) leaves batches out and answers in English only.
 */
@Interceptor
final class BundleEntryLimit {

    private final FhirContext fhirContext;
    private final int maximumEntries;

    BundleEntryLimit(FhirContext fhirContext, int maximumEntries) {
        this.fhirContext = fhirContext;
        this.maximumEntries = maximumEntries;
    }

    /** Called for transactions and batches alike, after the Bundle is parsed and before any entry is processed. */
    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
    public void refuseTooManyEntries(IBaseBundle bundle) {
        int entries = fhirContext.newTerser().getValues(bundle, "entry").size();
        if (entries > maximumEntries) {
            throw new PayloadTooLargeException(String.format(Locale.ROOT, "Bundle のエントリーが多すぎます（%,d 件、上限 %,d 件）。何も処理していません。Bundle を分けて"
                    + "送るか、運用担当に上限の引き上げを相談してください (the Bundle has too many entries: %,d, the limit is %,d;"
                    + " nothing was processed: split it, or ask the operators to raise the limit).",
                    entries, maximumEntries, entries, maximumEntries));
        }
    }
}
