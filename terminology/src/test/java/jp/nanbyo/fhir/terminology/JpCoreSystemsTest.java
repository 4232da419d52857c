package jp.nanbyo.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class JpCoreSystemsTest {

    @Test
    void normalisesOidFormsToTheUrlForms() {
        assertThat(JpCoreSystems.normalise("urn:oid:1.2.392.100495.20.3.23"))
                .isEqualTo(JpCoreSystems.INSURANCE_MEDICAL_INSTITUTION_NO);
        assertThat(JpCoreSystems.normalise(" urn:oid:1.2.392.100495.20.3.21 ")).isEqualTo(JpCoreSystems.PREFECTURE_NO);
        assertThat(JpCoreSystems.normalise("urn:oid:1.2.392.100495.20.3.22")).isEqualTo(JpCoreSystems.FEE_SCORE_TYPE);
    }

    @Test
    void leavesOtherSystemsAsTheyAre() {
        assertThat(JpCoreSystems.normalise(JpCoreSystems.MEDICAL_INSTITUTION_CODE))
                .isEqualTo(JpCoreSystems.MEDICAL_INSTITUTION_CODE);
        assertThat(JpCoreSystems.normalise("urn:oid:1.2.3")).isEqualTo("urn:oid:1.2.3");
        assertThat(JpCoreSystems.normalise(null)).isNull();
    }

    @Test
    void derivesCanonicalUrlsFromTheOneBase() {
        assertThat(NanbyoCanonical.url("CodeSystem", "nanbyo-designation-role"))
                .isEqualTo(NanbyoCanonical.BASE + "/CodeSystem/nanbyo-designation-role");
        assertThatIllegalArgumentException().isThrownBy(() -> NanbyoCanonical.url("CodeSystem", "bad id"));
        assertThatIllegalArgumentException().isThrownBy(() -> NanbyoCanonical.url("", "x"));
    }

    @Test
    void derivesComputableNamesFromIds() {
        assertThat(NanbyoCanonical.name("nanbyo-designation-role")).isEqualTo("NanbyoDesignationRole");
        assertThat(NanbyoCanonical.name("jp-prefecture-no")).isEqualTo("JpPrefectureNo");
        assertThat(NanbyoCanonical.name("nanbyo-shitei-nanbyo-to-icd10")).isEqualTo("NanbyoShiteiNanbyoToIcd10");
    }
}
