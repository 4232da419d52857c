package jp.nanbyo.fhir.server.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Party;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Transition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;

class ReferralTransitionsTest {

    @Test
    void onlyTheOwnerMovesAReferralForwardAndOnlyTheRequesterCancels() {
        for (ReferralState state : ReferralState.values()) {
            for (Transition t : ReferralTransitions.from(state)) {
                assertThat(t.party()).as(t.toString()).isEqualTo(t.to() == ReferralState.CANCELLED ? Party.REQUESTER : Party.OWNER);
                assertThat(t.needsReason()).as(t.toString())
                        .isEqualTo(t.to() == ReferralState.CANCELLED || t.to() == ReferralState.DECLINED);
            }
        }
    }

    @Test
    void declinedCompletedAndCancelledAreFinalAndEveryOtherStateCanBeCancelled() {
        Set<ReferralState> terminal = Arrays.stream(ReferralState.values())
                .filter(s -> ReferralTransitions.from(s).isEmpty()).collect(Collectors.toSet());
        assertThat(terminal).containsExactlyInAnyOrder(ReferralState.DECLINED, ReferralState.COMPLETED, ReferralState.CANCELLED);
        Arrays.stream(ReferralState.values()).filter(s -> !terminal.contains(s)).forEach(s ->
                assertThat(ReferralTransitions.find(s, ReferralState.CANCELLED)).as(s.name()).isPresent());
        assertThat(ReferralTransitions.describeAllowed(ReferralState.COMPLETED)).contains("final state");
    }

    @Test
    void declineOnlyBeforeAcceptingAndCompleteOnlyFromInProgress() {
        assertThat(ReferralTransitions.find(ReferralState.REQUESTED, ReferralState.DECLINED)).isPresent();
        assertThat(ReferralTransitions.find(ReferralState.RECEIVED, ReferralState.DECLINED)).isPresent();
        assertThat(ReferralTransitions.find(ReferralState.ACCEPTED, ReferralState.DECLINED)).isEmpty();
        assertThat(ReferralTransitions.find(ReferralState.ACCEPTED, ReferralState.COMPLETED)).isEmpty();
        assertThat(ReferralTransitions.find(ReferralState.IN_PROGRESS, ReferralState.COMPLETED)).isPresent();
        assertThat(ReferralTransitions.find(ReferralState.REQUESTED, ReferralState.IN_PROGRESS)).isEmpty();
        assertThat(ReferralTransitions.describeAllowed(ReferralState.REQUESTED))
                .contains("received (受付)", "accepted (受諾)", "declined (辞退)", "cancelled (取消)", "with statusReason");
    }

    @Test
    void aTaskIsInTheStateItsStatusAndBusinessStatusName() {
        Task task = new Task().setStatus(TaskStatus.REQUESTED);
        assertThat(ReferralState.of(task)).contains(ReferralState.REQUESTED);
        task.setStatus(TaskStatus.ACCEPTED).setBusinessStatus(new CodeableConcept(
                new org.hl7.fhir.r4.model.Coding(ReferralState.BUSINESS_STATUS_SYSTEM, "scheduled", null)));
        assertThat(ReferralState.of(task)).contains(ReferralState.SCHEDULED);
        task.setStatus(TaskStatus.COMPLETED);
        assertThat(ReferralState.of(task)).as("completed with businessStatus scheduled is no state").isEmpty();
    }
}
