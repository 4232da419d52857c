package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.junit.jupiter.api.Test;

class NanbyoPackageTest {

    @Test
    void profileUrlsLiveUnderTheTerminologyCanonicalBase() {
        assertThat(NanbyoPackage.profileUrl("nanbyo-organization"))
                .isEqualTo(NanbyoCanonical.BASE + "/StructureDefinition/nanbyo-organization");
        assertThat(NanbyoPackage.CANONICAL).isEqualTo(NanbyoCanonical.BASE);
    }
}
