package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.junit.jupiter.api.Test;

class BundleEntryLimitTest {

    private final BundleEntryLimit limit = new BundleEntryLimit(FhirContext.forR4Cached(), 3);

    @Test
    void aBundleOfUpToTheLimitPasses() {
        assertThatCode(() -> limit.refuseTooManyEntries(bundle(BundleType.TRANSACTION, 0))).doesNotThrowAnyException();
        assertThatCode(() -> limit.refuseTooManyEntries(bundle(BundleType.TRANSACTION, 3))).doesNotThrowAnyException();
        assertThatCode(() -> limit.refuseTooManyEntries(bundle(BundleType.BATCH, 3))).doesNotThrowAnyException();
    }

    @Test
    void oneEntryMoreIsRefusedSayingHowManyInJapaneseAndEnglish() {
        assertThatThrownBy(() -> limit.refuseTooManyEntries(bundle(BundleType.TRANSACTION, 4)))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("Bundle のエントリーが多すぎます（4 件、上限 3 件）")
                .hasMessageContaining("the Bundle has too many entries: 4, the limit is 3");
        assertThatThrownBy(() -> limit.refuseTooManyEntries(bundle(BundleType.BATCH, 4)))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    private static Bundle bundle(BundleType type, int entries) {
        Bundle bundle = new Bundle().setType(type);
        for (int i = 0; i < entries; i++) {
            bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("metadata");
        }
        return bundle;
    }
}
