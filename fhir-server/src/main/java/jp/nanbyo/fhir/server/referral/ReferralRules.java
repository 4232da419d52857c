package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.Outcomes.unprocessable;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * The rules of the workflow that need more than the Task being written (docs/referrals.md): consent for genetic
 * tests and IRUD, escalation as a new referral, and the 移行期医療支援センター of a transition referral.
 */
class ReferralRules {

    static final String CATEGORY_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-category");
    /** Categories accepted only with an active Consent covering them. */
    static final Set<String> NEED_CONSENT = Set.of("genetic-test-request", "irud-referral");

    private final ReferralReader reader;

    ReferralRules(ReferralReader reader) {
        this.reader = reader;
    }

    // ---- consent

    /**
     * A genetic-test request or an IRUD referral is accepted only if its supportingInfo names a Consent that is
     * active, is the referral's patient's, permits (provision.type not deny), is in force now (provision.period)
     * and carries the referral's category in Consent.category.
     */
    void requireConsentToAccept(Task task) {
        ServiceRequest referral = focus(task);
        // Any of its category codes counts: a second coding put first must not hide a genetic-test request.
        Optional<String> category = categories(referral).stream().filter(NEED_CONSENT::contains).sorted().findFirst();
        if (category.isEmpty()) {
            return;
        }
        String patient = referral.getSubject().getReference();
        Date now = new Date();
        boolean covered = referral.getSupportingInfo().stream()
                .map(Reference::getReference)
                .map(ref -> reader.read(Consent.class, ref))
                .flatMap(Optional::stream)
                .anyMatch(consent -> covers(consent, patient, category.get(), now));
        if (!covered) {
            throw unprocessable(IssueType.BUSINESSRULE, "ServiceRequest.supportingInfo",
                    category.get() + " の紹介を受諾するには、患者 " + patient + " の有効な同意 (Consent: status=active, category="
                            + CATEGORY_SYSTEM + "|" + category.get() + ") を紹介 " + task.getFocus().getReference()
                            + " の supportingInfo で示してください",
                    "a " + category.get() + " referral is accepted only with an active Consent of patient " + patient
                            + " covering it (category " + CATEGORY_SYSTEM + "|" + category.get() + "), referenced from the "
                            + "supportingInfo of " + task.getFocus().getReference());
        }
    }

    private static boolean covers(Consent consent, String patient, String category, Date now) {
        boolean permits = !consent.getProvision().hasType() || consent.getProvision().getType() == Consent.ConsentProvisionType.PERMIT;
        boolean inForce = !consent.getProvision().hasPeriod()
                || ((consent.getProvision().getPeriod().getStart() == null || !now.before(consent.getProvision().getPeriod().getStart()))
                        && (consent.getProvision().getPeriod().getEnd() == null || !now.after(consent.getProvision().getPeriod().getEnd())));
        boolean forCategory = consent.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> CATEGORY_SYSTEM.equals(c.getSystem()) && category.equals(c.getCode()));
        return consent.getStatus() == Consent.ConsentState.ACTIVE
                && patient != null && patient.equals(consent.getPatient().getReference())
                && permits && inForce && forCategory;
    }

    // ---- a new Task against its referral

    /**
     * Checks a new Task against its referral, read once: an escalation's shape first, then the parties, then that it is
     * the only open one (a referral created in the same transaction has no other: {@link NewReferrals}).
     */
    void requireMatchesItsReferral(Task task) {
        Optional<ServiceRequest> createdWithIt = NewReferrals.takeForItsFirstTask(task.getFocus().getReference());
        ServiceRequest referral = createdWithIt.orElseGet(() -> focus(task));
        requireEscalationShape(task, referral);
        requireSameParties(task, referral);
        if (createdWithIt.isEmpty()) {
            requireNoOtherOpenTask(task);
        }
    }

    /** Task.status of a referral still open or carried out: not declined, cancelled, failed or entered in error. */
    static final Set<Task.TaskStatus> NOT_ENDED_UNDONE = EnumSet.complementOf(EnumSet.of(Task.TaskStatus.REJECTED,
            Task.TaskStatus.CANCELLED, Task.TaskStatus.FAILED, Task.TaskStatus.ENTEREDINERROR, Task.TaskStatus.NULL));

    /**
     * A referral has one Task: two would be two parallel workflows for one request in the inbox. A new Task is allowed
     * only when every earlier Task of the referral ended without being carried out (declined or cancelled), where a
     * new attempt may make sense. An escalation or a back-referral is a new ServiceRequest, so it is not concerned.
     */
    private void requireNoOtherOpenTask(Task task) {
        String reference = task.getFocus().getReference();
        String self = "Task/" + task.getIdElement().getIdPart();
        // Two Tasks for one referral written at the same instant would each miss the other's uncommitted row.
        reader.lockReferral(reference);
        List<String> others = reader.tasksOf(reference, NOT_ENDED_UNDONE).stream().filter(other -> !other.equals(self)).toList();
        if (!others.isEmpty()) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task.focus",
                    "紹介 " + reference + " にはすでに Task " + String.join("、", others) + " があります。紹介の Task は 1 つです"
                            + " (辞退・取消で終わった後だけ新しい Task を作成できます)。ほかの紹介先へは新しい紹介 (ServiceRequest) を作成してください",
                    "referral " + reference + " already has its Task " + String.join(", ", others) + ": a referral has one Task"
                            + " (a new one only after the earlier ended declined or cancelled); to refer elsewhere, create a new"
                            + " ServiceRequest");
        }
    }

    /**
     * A Task partOf another is an escalation: the organization that owns the original asks, and the new Task's
     * focus is a new ServiceRequest basedOn the original one (a referral is never forwarded as-is).
     */
    private void requireEscalationShape(Task task, ServiceRequest referral) {
        for (Reference part : task.getPartOf()) {
            Task original = reader.read(Task.class, part.getReference()).orElseThrow(() -> unprocessable(IssueType.NOTFOUND,
                    "Task.partOf", "元の紹介の Task " + part.getReference() + " がありません",
                    "the original referral's Task " + part.getReference() + " does not exist"));
            String originalOwner = ActingOrganization.of(original.getOwner());
            if (!originalOwner.equals(ActingOrganization.of(task.getRequester()))) {
                throw unprocessable(IssueType.BUSINESSRULE, "Task.requester",
                        "エスカレーションの依頼元は元の紹介の紹介先 " + originalOwner + " です",
                        "an escalation is requested by the owner of the original referral, " + originalOwner);
            }
            String originalReferral = original.getFocus().getReference();
            boolean basedOnOriginal = referral.getBasedOn().stream()
                    .anyMatch(b -> originalReferral != null && originalReferral.equals(b.getReference()));
            if (!basedOnOriginal || originalReferral.equals(task.getFocus().getReference())) {
                throw unprocessable(IssueType.BUSINESSRULE, "Task.focus",
                        "エスカレーションは元の紹介 " + originalReferral + " を basedOn で指す新しい紹介 (ServiceRequest) とし、紹介をそのまま転送しない",
                        "an escalation is a new ServiceRequest basedOn the original " + originalReferral
                                + "; a referral is never forwarded as-is");
            }
        }
    }

    /**
     * A referral's Task is about that referral: its patient ({@code Task.for}, when given, is the referral's
     * subject), asked by its requester, owned by one of the organizations it is addressed to. A clinician
     * (Practitioner) as requester or performer names no organization and is not compared; a PractitionerRole
     * stands for its organization, a HealthcareService for the one that provides it.
     */
    private void requireSameParties(Task task, ServiceRequest referral) {
        String reference = task.getFocus().getReference();
        String patient = plain(referral.getSubject());
        if (task.hasFor() && !Objects.equals(plain(task.getFor()), patient)) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task.for",
                    "Task.for (" + plain(task.getFor()) + ") は紹介 " + reference + " の患者 " + patient + " にしてください",
                    "Task.for " + plain(task.getFor()) + " is not the patient of referral " + reference + ", " + patient);
        }
        String requester = ActingOrganization.of(task.getRequester());
        Optional<String> referralRequester = organizationOf(referral.getRequester());
        if (referralRequester.isPresent() && !referralRequester.get().equals(requester)) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task.requester",
                    "Task.requester (" + requester + ") は紹介 " + reference + " の紹介元 " + referralRequester.get() + " にしてください",
                    "Task.requester " + requester + " is not the requester of referral " + reference + ", "
                            + referralRequester.get());
        }
        String owner = ActingOrganization.of(task.getOwner());
        List<String> performers = referral.getPerformer().stream()
                .map(this::organizationOf)
                .flatMap(Optional::stream)
                .distinct()
                .toList();
        if (!performers.isEmpty() && !performers.contains(owner)) {
            throw unprocessable(IssueType.BUSINESSRULE, "Task.owner",
                    "Task.owner (" + owner + ") は紹介 " + reference + " の紹介先 (performer) " + String.join("、", performers)
                            + " のいずれかにしてください。ほかの組織へは新しい紹介を作成してください",
                    "Task.owner " + owner + " is not among the performers of referral " + reference + ": "
                            + String.join(", ", performers) + "; to refer elsewhere, create a new referral");
        }
    }

    /** What a referral means, fixed once it has its Task; the Japanese name says what it is. */
    private record Meaning(String element, String japanese, Function<ServiceRequest, Object> value) {
    }

    private static final List<Meaning> MEANING = List.of(
            new Meaning("requester", "紹介元", referral -> plain(referral.getRequester())),
            new Meaning("subject", "患者", referral -> plain(referral.getSubject())),
            new Meaning("performer", "紹介先", referral -> referral.getPerformer().stream().map(ReferralRules::plain).toList()),
            new Meaning("category", "紹介の区分", referral -> categoryCodings(referral)),
            new Meaning("basedOn", "元の紹介", referral -> referral.getBasedOn().stream().map(ReferralRules::plain)
                    .collect(Collectors.toCollection(TreeSet::new))));

    /**
     * Once a referral has its Task, what the Task and the rules rely on is fixed (FHIR Workflow: a request's core
     * meaning does not change): who asks, for whom, whom it is addressed to, what kind of referral it is (the
     * category decides whether accepting needs consent: changing it would side-step that rule) and what it escalates
     * or answers (basedOn, checked when an escalation's Task is created). Other changes (a Consent added to
     * supportingInfo, a note) stay allowed; a referral without a Task yet may still be corrected.
     */
    void requireSameMeaningOnceTasked(ServiceRequest before, ServiceRequest after) {
        List<Meaning> changed = MEANING.stream()
                .filter(meaning -> !Objects.equals(meaning.value().apply(before), meaning.value().apply(after)))
                .toList();
        String referral = "ServiceRequest/" + before.getIdElement().getIdPart();
        if (!changed.isEmpty() && reader.hasTask(referral)) {
            throw unprocessable(IssueType.BUSINESSRULE, "ServiceRequest." + changed.get(0).element(),
                    "紹介 " + referral + " には Task があるため、紹介元 (requester)・患者 (subject)・紹介先 (performer)・紹介の区分 (category)・"
                            + "元の紹介 (basedOn) は変更できません (変更: " + changed.stream().map(m -> m.japanese() + " " + m.element())
                                    .collect(Collectors.joining("、")) + ")。変えるには、この紹介を取り消して新しい紹介を作成してください",
                    "referral " + referral + " has its Task: its requester, subject, performers, category and basedOn cannot change"
                            + " (changed: " + changed.stream().map(Meaning::element).collect(Collectors.joining(", "))
                            + "); to change them, cancel it and create a new referral");
        }
    }

    /** The category codings as {@code system|code}, in no order (a display or text may still be corrected). */
    private static Set<String> categoryCodings(ServiceRequest referral) {
        return referral.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .map(c -> c.getSystem() + "|" + c.getCode())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The organization a requester or performer reference stands for, where it names one. */
    private Optional<String> organizationOf(Reference reference) {
        String value = reference.getReference();
        String type = value == null ? "" : new IdType(value).getResourceType();
        if ("Organization".equals(type)) {
            return Optional.of(ActingOrganization.normalise(value));
        }
        if ("PractitionerRole".equals(type)) {
            return reader.read(PractitionerRole.class, value).filter(PractitionerRole::hasOrganization)
                    .map(role -> ActingOrganization.of(role.getOrganization()));
        }
        if ("HealthcareService".equals(type)) {
            return reader.read(HealthcareService.class, value).filter(HealthcareService::hasProvidedBy)
                    .map(service -> ActingOrganization.of(service.getProvidedBy()));
        }
        return Optional.empty();
    }

    /** The reference without a version; a URL keeps its base (another server's resource is not ours). */
    private static String plain(Reference reference) {
        return reference.hasReference() ? new IdType(reference.getReference()).toVersionless().getValue() : null;
    }

    // ---- transition care

    /**
     * A transition referral from a prefecture that has a 移行期医療支援センター designated today names it
     * (nanbyo-transition-care.supportCenter). The prefecture is the requester's (nanbyo-prefecture, else the first
     * two digits of its 医療機関コード).
     */
    void requireSupportCenter(ServiceRequest referral) {
        Extension care = referral.getExtensionByUrl(NanbyoPackage.EXTENSION_TRANSITION_CARE);
        if (!categories(referral).contains("transition-referral") || care == null) {
            return; // no transition-care extension at all: the profile refuses it (nanbyo-ref-2) with its own message
        }
        Optional<String> prefecture = reader.read(Organization.class, ActingOrganization.of(referral.getRequester()))
                .flatMap(ReferralRules::prefectureOf);
        if (prefecture.isEmpty()) {
            return;
        }
        List<String> centers = reader.transitionSupportCenters(prefecture.get());
        if (centers.isEmpty()) {
            return;
        }
        Extension center = care.getExtensionByUrl("supportCenter");
        String named = center == null || !(center.getValue() instanceof Reference reference) ? null
                : ActingOrganization.normalise(reference.getReference());
        if (named == null || !centers.contains(named)) {
            throw unprocessable(IssueType.BUSINESSRULE, "ServiceRequest.extension('" + NanbyoPackage.EXTENSION_TRANSITION_CARE + "')",
                    "都道府県 " + prefecture.get() + " には移行期医療支援センターが指定されています: 拡張 nanbyo-transition-care の supportCenter で "
                            + String.join(" または ", centers) + " を示してください",
                    "prefecture " + prefecture.get() + " has a designated transition-care support center: name "
                            + String.join(" or ", centers) + " in nanbyo-transition-care.supportCenter");
        }
    }

    private static Optional<String> prefectureOf(Organization organization) {
        Extension extension = organization.getExtensionByUrl(NanbyoPackage.EXTENSION_PREFECTURE);
        if (extension != null && extension.getValue() instanceof Coding coding && coding.hasCode()) {
            return Optional.of(coding.getCode());
        }
        return organization.getIdentifier().stream()
                .filter(i -> JpCoreSystems.MEDICAL_INSTITUTION_CODE.equals(i.getSystem()) && i.hasValue() && i.getValue().length() >= 2)
                .map(i -> i.getValue().substring(0, 2))
                .findFirst();
    }

    // ---- shared

    private ServiceRequest focus(Task task) {
        String reference = task.getFocus().getReference();
        return reader.read(ServiceRequest.class, reference).orElseThrow(() -> unprocessable(IssueType.NOTFOUND, "Task.focus",
                "紹介 (ServiceRequest) " + reference + " がありません。先に紹介を作成してください",
                "the referral (ServiceRequest) " + reference + " does not exist; create it before its Task"));
    }

    /** Every nanbyo-referral-category code the referral carries (normally one). */
    static Set<String> categories(ServiceRequest referral) {
        return referral.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .filter(c -> CATEGORY_SYSTEM.equals(c.getSystem()) && c.hasCode())
                .map(Coding::getCode)
                .collect(Collectors.toSet());
    }
}
