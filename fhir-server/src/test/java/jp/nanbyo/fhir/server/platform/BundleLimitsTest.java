package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.junit.jupiter.api.Test;

class BundleLimitsTest {

    private final BundleLimits limits = new BundleLimits(3, 2);

    @Test
    void aBundleOfUpToTheEntryLimitPasses() {
        assertThatCode(() -> limits.refuseTooMuch(bundle(BundleType.TRANSACTION))).doesNotThrowAnyException();
        assertThatCode(() -> limits.refuseTooMuch(bundle(BundleType.TRANSACTION, "POST Organization", "PUT Organization/a", "DELETE Location/b")))
                .doesNotThrowAnyException();
        assertThatCode(() -> limits.refuseTooMuch(bundle(BundleType.BATCH, "GET Organization/a", "GET Organization/b", "GET Location/c")))
                .doesNotThrowAnyException();
    }

    @Test
    void oneEntryMoreIsRefusedSayingHowManyInJapaneseAndEnglish() {
        assertThatThrownBy(() -> limits.refuseTooMuch(bundle(BundleType.TRANSACTION, Collections.nCopies(4, "POST Organization"))))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("Bundle のエントリーが多すぎます（4 件、上限 3 件）")
                .hasMessageContaining("the Bundle has too many entries: 4, the limit is 3");
        assertThatThrownBy(() -> limits.refuseTooMuch(bundle(BundleType.BATCH, Collections.nCopies(4, "GET Organization/a"))))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void searchesHistoriesAndOperationsCountAgainstTheSearchLimitReadsAndWritesDoNot() {
        assertThatCode(() -> limits.refuseTooMuch(bundle(BundleType.BATCH,
                "GET Organization?name=群馬", "GET Organization/a/_history/2?_elements=name", "HEAD Location?_count=200")))
                .as("two searches, one version read").doesNotThrowAnyException();
        for (String third : List.of("GET Organization/a/_history", "GET Organization/_history", "GET ValueSet/$expand?url=x",
                "GET ?_type=Organization", "GET metadata", "HEAD Organization", "GET Organization/a/$validate")) {
            assertThatThrownBy(() -> limits.refuseTooMuch(bundle(BundleType.BATCH, "GET Organization?name=群馬", "GET Location", third)))
                    .as(third).isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("Bundle の検索が多すぎます（検索・履歴・操作 3 件、上限 2 件）")
                    .hasMessageContaining("too many searches (searches, histories and operations): 3, the limit is 2");
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
