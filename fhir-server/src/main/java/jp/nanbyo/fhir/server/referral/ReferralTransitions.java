package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.ReferralState.ACCEPTED;
import static jp.nanbyo.fhir.server.referral.ReferralState.CANCELLED;
import static jp.nanbyo.fhir.server.referral.ReferralState.COMPLETED;
import static jp.nanbyo.fhir.server.referral.ReferralState.DECLINED;
import static jp.nanbyo.fhir.server.referral.ReferralState.IN_PROGRESS;
import static jp.nanbyo.fhir.server.referral.ReferralState.RECEIVED;
import static jp.nanbyo.fhir.server.referral.ReferralState.REQUESTED;
import static jp.nanbyo.fhir.server.referral.ReferralState.SCHEDULED;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The referral state machine (docs/referrals.md): which state may follow which, who may make the move, and
 * whether it needs a reason. Plain data; {@link ReferralWorkflowInterceptor} enforces it on every Task write.
 */
final class ReferralTransitions {

    /** Who may make a transition: the Task's owner (the receiving organization) or its requester. */
    enum Party {
        OWNER("紹介先 (owner)", "Task.owner"),
        REQUESTER("紹介元 (requester)", "Task.requester");

        final String label;
        final String element;

        Party(String label, String element) {
            this.label = label;
            this.element = element;
        }
    }

    record Transition(ReferralState from, ReferralState to, Party party, boolean needsReason) {

        /** A transition waiting for its source state (how the table below is written). */
        @FunctionalInterface
        interface Builder {
            Transition from(ReferralState from);
        }

        String describe() {
            return to.label() + " [" + to.shape() + "] by " + party.label + (needsReason ? ", with statusReason" : "");
        }
    }

    private static final Map<ReferralState, List<Transition>> TABLE = new EnumMap<>(ReferralState.class);

    static {
        define(REQUESTED, owner(RECEIVED), owner(ACCEPTED), ownerWithReason(DECLINED), cancel());
        define(RECEIVED, owner(ACCEPTED), ownerWithReason(DECLINED), cancel());
        define(ACCEPTED, owner(SCHEDULED), owner(IN_PROGRESS), cancel());
        define(SCHEDULED, owner(IN_PROGRESS), cancel());
        define(IN_PROGRESS, owner(COMPLETED), cancel());
        define(DECLINED);
        define(COMPLETED);
        define(CANCELLED);
    }

    private ReferralTransitions() {
    }

    /** The transitions allowed out of a state (none out of declined, completed, cancelled). */
    static List<Transition> from(ReferralState state) {
        return TABLE.get(state);
    }

    static Optional<Transition> find(ReferralState from, ReferralState to) {
        return from(from).stream().filter(t -> t.to() == to).findFirst();
    }

    /** "accepted (受諾) by 紹介先 (owner); …", or a sentence saying the state is final. */
    static String describeAllowed(ReferralState state) {
        List<Transition> allowed = from(state);
        if (allowed.isEmpty()) {
            return state.label() + " は終了状態で、ここからは遷移できません (a final state: no transition leads out of it)";
        }
        return allowed.stream().map(Transition::describe).collect(Collectors.joining("; "));
    }

    private static void define(ReferralState state, Transition.Builder... targets) {
        TABLE.put(state, java.util.Arrays.stream(targets).map(b -> b.from(state)).toList());
    }

    private static Transition.Builder owner(ReferralState to) {
        return from -> new Transition(from, to, Party.OWNER, false);
    }

    private static Transition.Builder ownerWithReason(ReferralState to) {
        return from -> new Transition(from, to, Party.OWNER, true);
    }

    private static Transition.Builder cancel() {
        return from -> new Transition(from, CANCELLED, Party.REQUESTER, true);
    }
}
