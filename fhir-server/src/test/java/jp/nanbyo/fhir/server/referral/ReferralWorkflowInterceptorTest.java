package jp.nanbyo.fhir.server.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class ReferralWorkflowInterceptorTest {

    @Test
    void aReasonCarriesACodeADisplayOrANonBlankText() {
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept().setText("患者の希望")))).isTrue();
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept(new Coding("http://x", "capacity", null))))).isTrue();
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept(new Coding(null, null, "満床")))))
                .isTrue();
    }

    @Test
    void aBareCodingSystemOrABlankTextIsNoReason() {
        assertThat(ReferralWorkflowInterceptor.hasReason(new Task())).isFalse();
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept(new Coding().setSystem("http://x"))))).isFalse();
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept().setText("  ")))).isFalse();
        assertThat(ReferralWorkflowInterceptor.hasReason(withReason(new CodeableConcept(new Coding("http://x", " ", " ")))))
                .isFalse();
    }

    private static Task withReason(CodeableConcept reason) {
        return new Task().setStatusReason(reason);
    }
}
