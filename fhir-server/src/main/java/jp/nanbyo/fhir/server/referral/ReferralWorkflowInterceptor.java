package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.Outcomes.unprocessable;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Party;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Transition;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Enforces the referral state machine on every write of a Task (docs/referrals.md), from a storage hook, so
 * REST, transactions and PATCH are all covered:
 * <ul>
 *   <li>a new Task starts as {@code requested}, created by its requester; its requester and owner are Organizations;</li>
 *   <li>an update that changes the state must be a transition of {@link ReferralTransitions}, made by the party it
 *       names (the caller says whom it acts for in {@value ActingOrganization#HEADER}), with a statusReason where
 *       the transition needs one;</li>
 *   <li>who and what a Task is about (focus, requester, owner, for, partOf) never change, and a Task is never
 *       deleted over the API (it is cancelled);</li>
 *   <li>a new Task is about its referral: the referral's patient, asked by its requester, owned by one of its
 *       performers; an escalation is a new referral; accepting a genetic-test request or IRUD referral needs
 *       consent ({@link ReferralRules}).</li>
 * </ul>
 * Also checks, when a ServiceRequest is written, a transition referral's 移行期医療支援センター, and that the
 * parties of a referral that has its Task do not change.
 */
@Interceptor
class ReferralWorkflowInterceptor {

    /**
     * After the OID normaliser (-100), before profile validation (0): a refused move is answered with the state
     * machine's own message (what is allowed from the current state) rather than a profile invariant's.
     */
    static final int BEFORE_VALIDATION = -50;

    private final ReferralRules rules;

    ReferralWorkflowInterceptor(ReferralRules rules) {
        this.rules = rules;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = BEFORE_VALIDATION)
    void created(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Task task) {
            taskCreated(task, request);
        } else if (resource instanceof ServiceRequest referral) {
            rules.requireSupportCenter(referral);
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = BEFORE_VALIDATION)
    void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        if (oldResource instanceof Task before && newResource instanceof Task after) {
            taskUpdated(before, after, request);
        } else if (oldResource instanceof ServiceRequest before && newResource instanceof ServiceRequest referral) {
            rules.requireSamePartiesOnceTasked(before, referral);
            rules.requireSupportCenter(referral);
        }
    }

    /**
     * What a new Task says about its referral is checked before commit rather than before storage: by then a
     * transaction's {@code urn:uuid} references name the stored resources, so a referral and its Task (or an
     * escalation and its Task) can be created in one transaction. Before the outbox queues the Task.
     */
    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = BEFORE_VALIDATION)
    void createdWithItsReferral(IBaseResource resource) {
        if (resource instanceof Task task) {
            rules.requireMatchesItsReferral(task);
        }
    }

    /**
     * A referral's Task is its record: a delete over the API would take the workflow around the state machine. The
     * requester cancels it with a reason instead; writes inside the server (no HTTP request) may still delete.
     */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = BEFORE_VALIDATION)
    void deleted(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Task && ActingOrganization.isExternal(request)) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task",
                    "紹介の Task は削除できません。紹介元が理由 (statusReason) を付けて取り消してください (cancelled)",
                    "a referral Task is never deleted; its requester cancels it, with a statusReason");
        }
    }

    private void taskCreated(Task task, RequestDetails request) {
        ReferralState state = ReferralState.of(task).orElse(null);
        if (state != ReferralState.REQUESTED || task.hasBusinessStatus()) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task.status",
                    "新しい紹介の Task は依頼済 (status=requested, businessStatus なし) で作成します",
                    "a new referral Task starts as requested: " + ReferralState.REQUESTED.shape());
        }
        String requester = requireOrganization(task.getRequester(), "Task.requester");
        requireOrganization(task.getOwner(), "Task.owner");
        if (ActingOrganization.isExternal(request)) {
            String acting = actingFor(request, "紹介の作成 (creating a referral Task)");
            if (!acting.equals(requester)) {
                throw Outcomes.forbidden("Task.requester",
                        "紹介の Task を作成できるのは紹介元 " + requester + " だけです (" + ActingOrganization.HEADER + ": " + acting + ")",
                        "only the requester " + requester + " may create its referral Task; the caller acts for " + acting);
            }
        }
    }

    private void taskUpdated(Task before, Task after, RequestDetails request) {
        requireUnchanged(before, after);
        ReferralState from = ReferralState.of(before).orElse(null);
        ReferralState to = ReferralState.of(after).orElseThrow(() -> unprocessable(IssueType.BUSINESSRULE, "Task.businessStatus",
                "status と businessStatus の組み合わせが紹介の状態になっていません。状態: " + states(),
                "status " + codeOf(after) + " with this businessStatus is no referral state; the states are " + states()));
        if (from == null || from == to) {
            return; // no transition: notes, output, a corrected reason … (from == null: a Task stored before the rules)
        }
        Transition transition = ReferralTransitions.find(from, to).orElseThrow(() -> unprocessable(IssueType.BUSINESSRULE,
                "Task.businessStatus",
                from.label() + " から " + to.label() + " へは遷移できません。" + from.label() + " から可能な遷移: "
                        + ReferralTransitions.describeAllowed(from),
                "illegal transition from " + from.label() + " to " + to.label() + "; allowed from " + from.label() + ": "
                        + ReferralTransitions.describeAllowed(from)));
        if (transition.needsReason() && !hasReason(after)) {
            throw unprocessable(IssueType.REQUIRED, "Task.statusReason",
                    to.label() + " には理由 (statusReason) が必要です。" + from.label() + " から可能な遷移: "
                            + ReferralTransitions.describeAllowed(from),
                    to.label() + " needs a reason in Task.statusReason; allowed from " + from.label() + ": "
                            + ReferralTransitions.describeAllowed(from));
        }
        if (ActingOrganization.isExternal(request)) {
            String acting = actingFor(request, from.label() + " → " + to.label());
            String allowed = ActingOrganization.of(transition.party() == Party.OWNER ? after.getOwner() : after.getRequester());
            if (!acting.equals(allowed)) {
                throw Outcomes.forbidden(transition.party().element,
                        to.label() + " にできるのは" + transition.party().label + " " + allowed + " だけです ("
                                + ActingOrganization.HEADER + ": " + acting + ")",
                        "only the " + transition.party().name().toLowerCase() + " " + allowed + " may move a referral to "
                                + to.label() + "; the caller acts for " + acting);
            }
        }
        if (to == ReferralState.ACCEPTED) {
            rules.requireConsentToAccept(after);
        }
    }

    private static String actingFor(RequestDetails request, String what) {
        return ActingOrganization.of(request).orElseThrow(() -> Outcomes.badRequest(
                "ヘッダー " + ActingOrganization.HEADER + " で、どの組織として操作するか (Organization/<id>) を示してください: " + what,
                "say which organization you act for in the header " + ActingOrganization.HEADER
                        + ": Organization/<id> (required to create or move a referral Task: " + what + ")"));
    }

    private static String requireOrganization(Reference reference, String element) {
        String value = ActingOrganization.of(reference);
        if (!ActingOrganization.isOrganization(value)) {
            throw unprocessable(IssueType.BUSINESSRULE, element,
                    element + " は Organization/<id> で示してください (当面、組織で権限を判断するため)",
                    element + " must be an Organization/<id> reference: for now, who may move a referral is decided by organization");
        }
        return value;
    }

    private static void requireUnchanged(Task before, Task after) {
        check("Task.focus", List.of(before.getFocus()), List.of(after.getFocus()));
        check("Task.requester", List.of(before.getRequester()), List.of(after.getRequester()));
        check("Task.owner", List.of(before.getOwner()), List.of(after.getOwner()));
        check("Task.for", List.of(before.getFor()), List.of(after.getFor()));
        check("Task.partOf", before.getPartOf(), after.getPartOf());
    }

    private static void check(String element, List<Reference> before, List<Reference> after) {
        if (!references(before).equals(references(after))) {
            throw unprocessable(IssueType.BUSINESSRULE, element,
                    element + " は変更できません。紹介先を変えるには取り消して新しい紹介を作成してください",
                    element + " cannot change; to refer elsewhere, cancel and create a new referral");
        }
    }

    private static List<String> references(List<Reference> references) {
        return references.stream().map(ActingOrganization::of).filter(Objects::nonNull).toList();
    }

    private static boolean hasReason(Task task) {
        return task.hasStatusReason() && (task.getStatusReason().hasText() || task.getStatusReason().hasCoding());
    }

    private static String codeOf(Task task) {
        return task.getStatus() == null ? "(none)" : task.getStatus().toCode();
    }

    private static String states() {
        return Arrays.stream(ReferralState.values()).map(s -> s.label() + " [" + s.shape() + "]").collect(Collectors.joining("; "));
    }
}
