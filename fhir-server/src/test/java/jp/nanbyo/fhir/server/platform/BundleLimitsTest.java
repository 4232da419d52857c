package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.junit.jupiter.api.Test;

class BundleLimitsTest {

    private final BundleLimits limits = new BundleLimits(3, 2);

    @Test
    void aBundleOfUpToTheEntryLimitPasses() {
        assertThatCode(() -> check(bundle(BundleType.TRANSACTION))).doesNotThrowAnyException();
        assertThatCode(() -> check(bundle(BundleType.TRANSACTION, "POST Organization", "PUT Organization/a", "DELETE Location/b")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(bundle(BundleType.BATCH, "GET Organization/a", "GET Organization/b", "GET Location/c")))
                .doesNotThrowAnyException();
    }

    @Test
    void oneEntryMoreIsRefusedSayingHowManyInJapaneseAndEnglish() {
        assertThatThrownBy(() -> check(bundle(BundleType.TRANSACTION, Collections.nCopies(4, "POST Organization"))))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("Bundle のエントリーが多すぎます（4 件、上限 3 件）")
                .hasMessageContaining("the Bundle has too many entries: 4, the limit is 3");
        assertThatThrownBy(() -> check(bundle(BundleType.BATCH, Collections.nCopies(4, "GET Organization/a"))))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void searchesHistoriesAndOperationsCountAgainstTheSearchLimitReadsAndWritesDoNot() {
        assertThatCode(() -> check(bundle(BundleType.BATCH,
                "GET Organization?name=群馬", "GET Organization/a/_history/2?_elements=name", "HEAD Location?_count=200")))
                .as("two searches, one version read").doesNotThrowAnyException();
        for (String third : List.of("GET Organization/a/_history", "GET Organization/_history", "GET ValueSet/$expand?url=x",
                "GET ?_type=Organization", "GET metadata", "HEAD Organization", "GET Organization/a/$validate")) {
            assertThatThrownBy(() -> check(bundle(BundleType.BATCH, "GET Organization?name=群馬", "GET Location", third)))
                    .as(third).isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("Bundle の検索が多すぎます（検索・履歴・操作 3 件、上限 2 件）")
                    .hasMessageContaining("too many searches (searches, histories and operations): 3, the limit is 2");
        }
    }

    @Test
    void bundlesOfUpToTwiceTheEntryLimitAreProcessedAtOnceAnotherWaitsItsTurn() throws Exception {
        BundleLimits shortWait = new BundleLimits(3, 2, Duration.ofMillis(200));
        RequestDetails first = new SystemRequestDetails();
        RequestDetails second = new SystemRequestDetails();
        shortWait.refuseTooMuch(first, bundle(BundleType.TRANSACTION, Collections.nCopies(3, "POST Organization")));
        shortWait.refuseTooMuch(second, bundle(BundleType.TRANSACTION, Collections.nCopies(2, "POST Organization")));
        assertThat(shortWait.entriesInProgress()).isEqualTo(5);

        RequestDetails third = new SystemRequestDetails();
        assertThatThrownBy(() -> shortWait.refuseTooMuch(third, bundle(BundleType.BATCH, "GET Organization/a", "GET Organization/b")))
                .isInstanceOfSatisfying(BaseServerResponseException.class, busy -> {
                    assertThat(busy.getStatusCode()).isEqualTo(503);
                    assertThat(busy.getResponseHeaders()).containsKey("Retry-After");
                    assertThat(busy.getMessage()).contains("他の大きな Bundle を処理中", "other large Bundles are being processed");
                });
        shortWait.done(third); // HAPI calls it for the refused request too: it gives back nothing
        assertThat(shortWait.entriesInProgress()).isEqualTo(5);

        shortWait.refuseTooMuch(third, bundle(BundleType.BATCH, "GET Organization/a"));
        shortWait.done(first);
        shortWait.done(second);
        shortWait.done(third);
        assertThat(shortWait.entriesInProgress()).isZero();
    }

    @Test
    void aWaitingBundleGoesAheadAsSoonAsThereIsRoom() throws Exception {
        BundleLimits longWait = new BundleLimits(3, 2, Duration.ofSeconds(30));
        RequestDetails first = new SystemRequestDetails();
        longWait.refuseTooMuch(first, bundle(BundleType.TRANSACTION, Collections.nCopies(3, "POST Organization")));
        longWait.refuseTooMuch(new SystemRequestDetails(), bundle(BundleType.TRANSACTION, Collections.nCopies(3, "POST Organization")));

        CompletableFuture<Long> admittedAfter = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            longWait.refuseTooMuch(new SystemRequestDetails(), bundle(BundleType.TRANSACTION, "POST Organization"));
            return (System.nanoTime() - start) / 1_000_000;
        });
        Thread.sleep(300);
        assertThat(admittedAfter).isNotDone();
        longWait.done(first);

        assertThat(admittedAfter.get(10, TimeUnit.SECONDS)).isBetween(250L, 10_000L);
        assertThat(longWait.entriesInProgress()).isEqualTo(4);
    }

    /** One Bundle through the checks, its turn given back as HAPI does once it has answered. */
    private void check(Bundle bundle) {
        RequestDetails request = new SystemRequestDetails();
        try {
            limits.refuseTooMuch(request, bundle);
        } finally {
            limits.done(request);
        }
    }

    private static Bundle bundle(BundleType type, List<String> requests) {
        return bundle(type, requests.toArray(String[]::new));
    }

    /** @param requests each "METHOD url" */
    private static Bundle bundle(BundleType type, String... requests) {
        Bundle bundle = new Bundle().setType(type);
        Stream.of(requests).map(request -> request.split(" ", 2)).forEach(request ->
                bundle.addEntry().getRequest().setMethod(HTTPVerb.fromCode(request[0])).setUrl(request[1]));
        return bundle;
    }
}
