package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.Outcomes.unprocessable;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Party;
import jp.nanbyo.fhir.server.referral.ReferralTransitions.Transition;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
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
 *       performers, and the referral's only open Task; an escalation is a new referral; accepting a genetic-test
 *       request or IRUD referral needs consent ({@link ReferralRules}).</li>
 * </ul>
 * Also checks, when a ServiceRequest is written, a transition referral's 移行期医療支援センター, and that what a
 * referral that has its Task means (parties, category, basedOn) does not change.
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
            rules.requireSameMeaningOnceTasked(before, referral);
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
        } else if (resource instanceof ServiceRequest referral) {
            NewReferrals.stored(referral);
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
        String serverBase = ActingOrganization.serverBase(request);
        String requester = requireOrganization(task.getRequester(), "Task.requester", serverBase);
        requireOrganization(task.getOwner(), "Task.owner", serverBase);
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
        String serverBase = ActingOrganization.serverBase(request);
        requireUnchanged(before, after, serverBase);
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
                    to.label() + " には理由 (statusReason: コードまたはテキスト) が必要です。" + from.label() + " から可能な遷移: "
                            + ReferralTransitions.describeAllowed(from),
                    to.label() + " needs a reason in Task.statusReason (a code, or a text); allowed from " + from.label() + ": "
                            + ReferralTransitions.describeAllowed(from));
        }
        if (ActingOrganization.isExternal(request)) {
            String acting = actingFor(request, from.label() + " → " + to.label());
            String allowed = ActingOrganization.of(transition.party() == Party.OWNER ? after.getOwner() : after.getRequester(),
                    serverBase);
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
        return ActingOrganization.of(request).orElseThrow(() -> Outcomes.badRequest(IssueType.REQUIRED,
                "ヘッダー " + ActingOrganization.HEADER + " で、どの組織として操作するか (Organization/<id>) を示してください: " + what,
                "say which organization you act for in the header " + ActingOrganization.HEADER
                        + ": Organization/<id> (required to create or move a referral Task: " + what + ")"));
    }

    private static String requireOrganization(Reference reference, String element, String serverBase) {
        String value = ActingOrganization.of(reference, serverBase);
        if (!ActingOrganization.isOrganization(value)) {
            throw unprocessable(IssueType.BUSINESSRULE, element,
                    element + " はこのサーバーの組織を Organization/<id> で示してください (当面、組織で権限を判断するため)",
                    element + " must be an Organization/<id> reference to an organization of this server: for now, who may"
                            + " move a referral is decided by organization");
        }
        return value;
    }

    /** An element that says what a Task is about, fixed once it exists; its refusal says what to do instead. */
    private record Frozen(String element, Function<Task, List<Reference>> references, String japanese, String english) {
    }

    private static final List<Frozen> FROZEN = List.of(
            new Frozen("Task.focus", task -> List.of(task.getFocus()),
                    "Task.focus (この Task の紹介) は変更できません。別の紹介には、その紹介の Task を作成してください",
                    "Task.focus cannot change: a Task is the workflow of one referral; another referral gets a Task of its own"),
            new Frozen("Task.requester", task -> List.of(task.getRequester()),
                    "Task.requester (紹介元) は変更できません。別の組織からの紹介は、その組織が新しい紹介として作成してください",
                    "Task.requester cannot change: a referral from another organization is a new referral, made by that organization"),
            new Frozen("Task.owner", task -> List.of(task.getOwner()),
                    "Task.owner (紹介先) は変更できません。紹介先を変えるには取り消して新しい紹介を作成してください",
                    "Task.owner cannot change; to refer elsewhere, cancel and create a new referral"),
            new Frozen("Task.for", task -> List.of(task.getFor()),
                    "Task.for (患者) は変更できません。患者を誤った紹介は取り消して、正しい患者で新しい紹介を作成してください",
                    "Task.for cannot change: the patient is who the referral is about; if it names the wrong patient, cancel it"
                            + " and create a new referral for the right one"),
            new Frozen("Task.partOf", Task::getPartOf,
                    "Task.partOf (エスカレーション元の Task) は変更できません。エスカレーションの関係は作成時に決まります",
                    "Task.partOf cannot change: an escalation's link to the original referral's Task is set when it is created"));

    private static void requireUnchanged(Task before, Task after, String serverBase) {
        for (Frozen frozen : FROZEN) {
            if (!references(frozen.references().apply(before), serverBase).equals(references(frozen.references().apply(after), serverBase))) {
                throw unprocessable(IssueType.BUSINESSRULE, frozen.element(), frozen.japanese(), frozen.english());
            }
        }
    }

    private static List<String> references(List<Reference> references, String serverBase) {
        return references.stream().map(reference -> ActingOrganization.of(reference, serverBase)).filter(Objects::nonNull).toList();
    }

    /**
     * A reason says something: a non-blank text, or a coding with a code or a non-blank display. A coding with only a
     * system (or nothing) says nothing and is no reason.
     */
    static boolean hasReason(Task task) {
        CodeableConcept reason = task.getStatusReason();
        return isNotBlank(reason.getText())
                || reason.getCoding().stream().anyMatch(coding -> isNotBlank(coding.getCode()) || isNotBlank(coding.getDisplay()));
    }

    private static boolean isNotBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String codeOf(Task task) {
        return task.getStatus() == null ? "(none)" : task.getStatus().toCode();
    }

    private static String states() {
        return Arrays.stream(ReferralState.values()).map(s -> s.label() + " [" + s.shape() + "]").collect(Collectors.joining("; "));
    }
}
