package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.ReferralResources.CATEGORY;
import static jp.nanbyo.fhir.server.referral.ReferralResources.PATIENT_ID;
import static jp.nanbyo.fhir.server.referral.ReferralResources.SERVICE_TYPE;
import static jp.nanbyo.fhir.server.referral.ReferralResources.referral;
import static jp.nanbyo.fhir.server.referral.ReferralResources.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.server.EmbeddedPostgresInitializer;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import jp.nanbyo.fhir.server.subscription.LoopbackReceiver;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Referral journeys end to end on PostgreSQL (docs/referrals.md), over FHIR REST as a hospital system would make
 * them: each party names the organization it acts for in {@code X-Nanbyo-Acting-Organization}. Every test builds
 * organizations of its own (fresh 医療機関コード), so inboxes and outboxes never see another test's referrals.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class ReferralWorkflowIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-referral-data-");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String ACTING = ActingOrganization.HEADER;
    static final String BUSINESS_STATUS = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-business-status");
    static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final LoopbackReceiver RECEIVER = startReceiver();
    static final Duration DELIVERY = Duration.ofSeconds(30);
    /** The referral's fullUrl in a transaction that creates it with its Task. */
    static final String IN_TRANSACTION = "urn:uuid:6f1d2c3a-0b7e-4c55-9a0e-2f9c1d3b4a5e";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.subscriptions.allowed-endpoints", () -> "http://127.0.0.1:");
        registry.add("nanbyo.subscriptions.submission-interval", () -> "1s");
    }

    @LocalServerPort
    int port;

    IGenericClient fhir;

    @BeforeEach
    void client() {
        // The first validated writes of a fresh server can take longer than the client's 10 s on a loaded machine.
        FhirContext.forR4Cached().getRestfulClientFactory().setSocketTimeout(60_000);
        fhir = TestFhirClient.of(port);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    // ---- the whole journey

    @Test
    void clinicToCooperatingHospitalToHubToIrudWithResultsBackAndABackReferralToTheClinic() {
        String clinic = organization("10", "1", "clinic", "試験内科クリニック");
        String cooperating = organization("10", "1", "hospital", "試験協力病院");
        String hub = organization("10", "1", "hospital", "試験大学病院");
        String irud = nationalBody("IRUD 試験拠点");
        String patient = patient(clinic);

        // The clinic refers, with its referral letter (a JP-CLINS-shaped document) as supporting information.
        String letter = create(referralLetter(patient), null);
        ServiceRequest first = referral("referral", patient, clinic, cooperating);
        first.addSupportingInfo(new Reference(letter));
        String sr1 = create(first, null);
        String t1 = create(task(sr1, patient, clinic, cooperating), clinic);
        move(t1, ReferralState.RECEIVED, cooperating);
        move(t1, ReferralState.ACCEPTED, cooperating);
        move(t1, ReferralState.IN_PROGRESS, cooperating);

        // The cooperating hospital cannot diagnose: a new referral to the hub, basedOn the first, its Task partOf.
        ServiceRequest toHub = referral("referral", patient, cooperating, hub);
        toHub.addBasedOn(new Reference(sr1));
        String sr2 = create(toHub, null);
        Task t2Task = task(sr2, patient, cooperating, hub);
        t2Task.addPartOf(new Reference(t1));
        String t2 = create(t2Task, cooperating);
        move(t2, ReferralState.ACCEPTED, hub);
        move(t2, ReferralState.SCHEDULED, hub);
        move(t2, ReferralState.IN_PROGRESS, hub);

        // Still undiagnosed: the hub escalates to IRUD, with the patient's consent to it.
        String consent = create(consent(patient, "irud-referral", Consent.ConsentState.ACTIVE), null);
        ServiceRequest toIrud = referral("irud-referral", patient, hub, irud);
        toIrud.addBasedOn(new Reference(sr2));
        toIrud.addSupportingInfo(new Reference(consent));
        String sr3 = create(toIrud, null);
        Task t3Task = task(sr3, patient, hub, irud);
        t3Task.addPartOf(new Reference(t2));
        String t3 = create(t3Task, hub);
        move(t3, ReferralState.ACCEPTED, irud);
        move(t3, ReferralState.IN_PROGRESS, irud);

        // IRUD's result comes back as Task output; each level answers the one before with its own reply.
        String result = create(new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept().setText("IRUD 網羅的遺伝子解析"))
                .setSubject(new Reference(patient))
                .setConclusion("病的バリアントを同定 (a pathogenic variant was identified)"), null);
        complete(t3, irud, result, "IRUD 解析結果 (analysis result)");
        complete(t2, hub, result, "返書 (reply to the cooperating hospital)");
        complete(t1, cooperating, result, "返書 (reply to the clinic)");

        // 逆紹介: care goes back near home, as a new referral linked to the first.
        ServiceRequest back = referral("back-referral", patient, hub, clinic);
        back.setCode(new CodeableConcept(new Coding(SERVICE_TYPE, "continuing-care", null)));
        back.addBasedOn(new Reference(sr1));
        String sr4 = create(back, null);
        String t4 = create(task(sr4, patient, hub, clinic), hub);
        move(t4, ReferralState.ACCEPTED, clinic);

        // The links read back as plain searches.
        assertThat(ids(search("Task?part-of=" + t1))).containsExactly(t2);
        assertThat(ids(search("Task?part-of=" + t2))).containsExactly(t3);
        assertThat(ids(search("ServiceRequest?based-on=" + sr1))).containsExactlyInAnyOrder(sr2, sr4);
        Task irudTask = fhir.read().resource(Task.class).withId(t3).execute();
        assertThat(irudTask.getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(irudTask.getOutputFirstRep().getValue()).isInstanceOf(Reference.class);
        assertThat(((Reference) irudTask.getOutputFirstRep().getValue()).getReference()).isEqualTo(result);

        // The clinic's inbox: the back-referral, with its ServiceRequest and Patient. Its outbox: the first referral.
        Bundle inbox = search("Task?owner=" + clinic + "&status=requested,received,accepted,in-progress"
                + "&_sort=-_lastUpdated&_include=Task:focus&_include=Task:patient");
        assertThat(matches(inbox)).containsExactly(t4);
        assertThat(included(inbox)).containsExactlyInAnyOrder(sr4, patient);
        Bundle outbox = search("Task?requester=" + clinic + "&_sort=-_lastUpdated&_include=Task:focus&_include=Task:patient");
        assertThat(matches(outbox)).containsExactly(t1);
        // The hub's inbox is newest first: the escalated referral; its outbox holds the IRUD referral and the back-referral.
        assertThat(matches(search("Task?owner=" + hub + "&_sort=-_lastUpdated"))).containsExactly(t2);
        assertThat(matches(search("Task?requester=" + hub + "&_sort=-_lastUpdated"))).containsExactly(t4, t3);
        assertThat(matches(search("Task?owner=" + irud + "&status=completed"))).containsExactly(t3);
    }

    @Test
    void anEscalationIsANewReferralBasedOnTheOriginalNeverTheOriginalForwarded() {
        String clinic = organization("10", "1", "clinic", "試験診療所");
        String hub = organization("10", "1", "hospital", "試験拠点病院");
        String irud = nationalBody("IRUD 試験");
        String patient = patient(clinic);
        String sr1 = create(referral("referral", patient, clinic, hub), null);
        String t1 = create(task(sr1, patient, clinic, hub), clinic);
        move(t1, ReferralState.ACCEPTED, hub);

        Task forwarded = task(sr1, patient, hub, irud);
        forwarded.addPartOf(new Reference(t1));
        assertThat(refused(422, () -> create(forwarded, hub))).contains("basedOn", "never forwarded");

        Task byTheClinic = task(create(based(referral("referral", patient, clinic, irud), sr1), null), patient, clinic, irud);
        byTheClinic.addPartOf(new Reference(t1));
        assertThat(refused(422, () -> create(byTheClinic, clinic))).contains("owner of the original referral", hub);
    }

    @Test
    void aTaskIsAboutItsReferralsPatientAskedByItsRequesterAndOwnedByOneOfItsPerformers() {
        Parties p = parties();
        String elsewhere = organization("10", "1", "hospital", "試験別病院");
        String otherPatient = patient(p.requester);

        assertThat(refused(422, () -> create(task(p.referral, p.patient, p.requester, elsewhere), p.requester)))
                .contains("Task.owner", elsewhere, "not among the performers", p.owner);
        assertThat(refused(422, () -> create(task(p.referral, p.patient, elsewhere, p.owner), elsewhere)))
                .contains("Task.requester", elsewhere, "is not the requester", p.requester);
        assertThat(refused(422, () -> create(task(p.referral, otherPatient, p.requester, p.owner), p.requester)))
                .contains("Task.for", otherPatient, "is not the patient", p.patient);
        // In one transaction, the referral's urn:uuid resolved: refused as a whole, nothing of it stored.
        ServiceRequest misaddressed = referral("referral", p.patient, p.requester, p.owner);
        misaddressed.addIdentifier().setSystem("https://fhir.example.jp/test-clinic/sid/referral").setValue("R-" + SEQUENCE.incrementAndGet());
        assertThat(refused(422, () -> transaction(misaddressed, task(IN_TRANSACTION, p.patient, p.requester, elsewhere), p.requester)))
                .contains("Task.owner", elsewhere);
        assertThat(search("ServiceRequest?identifier=" + misaddressed.getIdentifierFirstRep().getValue()).getEntry()).isEmpty();
        assertThat(search("Task?focus=" + p.referral).getEntry()).isEmpty();

        // A clinician's role stands for its organization: the Task goes to that organization.
        PractitionerRole neurologist = new PractitionerRole().setActive(true).setOrganization(new Reference(p.owner));
        neurologist.addCode().setText("脳神経内科医 (neurologist)");
        ServiceRequest toClinician = referral("referral", p.patient, p.requester, create(neurologist, null));
        String sr = create(toClinician, null);
        assertThat(refused(422, () -> create(task(sr, p.patient, p.requester, elsewhere), p.requester))).contains(p.owner);
        String t = create(task(sr, p.patient, p.requester, p.owner), p.requester);
        assertThat(read(t).getOwner().getReference()).isEqualTo(p.owner);

        // Once it has its Task, the referral keeps its parties; other changes (a note here) are allowed.
        ServiceRequest redirected = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        redirected.getPerformerFirstRep().setReference(elsewhere);
        assertThat(refused(422, () -> fhir.update().resource(redirected).execute())).contains(sr, "has its Task", "performers");
        ServiceRequest noted = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        noted.addNote().setText("MRI 画像を別送します (MRI images follow separately)");
        fhir.update().resource(noted).execute();
        ServiceRequest stored = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        assertThat(stored.getPerformerFirstRep().getReference()).isNotEqualTo(elsewhere);
        assertThat(stored.getNoteFirstRep().getText()).startsWith("MRI");
        // A referral without a Task yet may still be readdressed.
        ServiceRequest untasked = fhir.read().resource(ServiceRequest.class).withId(create(referral("referral", p.patient,
                p.requester, p.owner), null)).execute();
        untasked.getPerformerFirstRep().setReference(elsewhere);
        fhir.update().resource(untasked).execute();
    }

    @Test
    void aReferralAndItsTaskOrAnEscalationAndItsTaskAreCreatedInOneTransaction() {
        Parties p = parties();
        String irud = nationalBody("IRUD 試験");
        Bundle created = transaction(referral("referral", p.patient, p.requester, p.owner),
                task(IN_TRANSACTION, p.patient, p.requester, p.owner), p.requester);
        String t1 = created.getEntry().get(1).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(read(t1).getFocus().getReference()).isEqualTo(created.getEntry().get(0).getResponse().getLocation()
                .replaceAll("/_history/.*", ""));
        move(t1, ReferralState.ACCEPTED, p.owner);

        // The escalation's new ServiceRequest is checked through its urn:uuid: basedOn the original, asked by its owner.
        ServiceRequest escalation = based(referral("referral", p.patient, p.owner, irud), read(t1).getFocus().getReference());
        Task escalated = task(IN_TRANSACTION, p.patient, p.owner, irud);
        escalated.addPartOf(new Reference(t1));
        Bundle both = transaction(escalation, escalated, p.owner);
        String t2 = both.getEntry().get(1).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(ids(search("Task?part-of=" + t1))).containsExactly(t2);

        ServiceRequest notBased = referral("referral", p.patient, p.owner, irud);
        Task forwarded = task(IN_TRANSACTION, p.patient, p.owner, irud);
        forwarded.addPartOf(new Reference(t1));
        assertThat(refused(422, () -> transaction(notBased, forwarded, p.owner))).contains("never forwarded");
        assertThat(ids(search("Task?part-of=" + t1))).containsExactly(t2);
    }

    // ---- declines, cancellations, illegal moves

    @Test
    void aDeclineNeedsAReasonAndEndsTheReferral() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Task declined = state(read(t), ReferralState.DECLINED);
        assertThat(refused(422, () -> update(declined, p.owner))).contains("statusReason", "declined (辞退)");

        declined.setStatusReason(new CodeableConcept().setText("当院では対応できない検査のため (a test we cannot offer)"));
        update(declined, p.owner);
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REJECTED);

        Task accepted = state(read(t), ReferralState.ACCEPTED);
        assertThat(refused(422, () -> update(accepted, p.owner))).contains("final state");
    }

    @Test
    void onlyTheRequesterCancelsWithAReasonAndTheCallerMustSayWhomItActsFor() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        move(t, ReferralState.ACCEPTED, p.owner);

        Task cancelled = state(read(t), ReferralState.CANCELLED);
        cancelled.setStatusReason(new CodeableConcept().setText("患者の希望により取り消し (cancelled at the patient's request)"));
        assertThat(refused(400, () -> update(cancelled, null))).contains(ACTING);
        assertThat(refused(403, () -> update(cancelled, p.owner))).contains("only the requester", p.requester);
        Task withoutReason = state(read(t), ReferralState.CANCELLED);
        assertThat(refused(422, () -> update(withoutReason, p.requester))).contains("statusReason");

        // Deleting it is no way round: refused to either party, and the Task stays as it was.
        for (String party : List.of(p.requester, p.owner)) {
            assertThat(refused(422, () -> fhir.delete().resourceById(new IdType(t)).withAdditionalHeader(ACTING, party).execute()))
                    .contains("never deleted");
        }
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.ACCEPTED);

        update(cancelled, p.requester);
        Task stored = read(t);
        assertThat(stored.getStatus()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(stored.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("cancelled");
    }

    @Test
    void anIllegalTransitionIsRefusedSayingWhatIsAllowedFromTheCurrentState() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);

        String refusal = refused(422, () -> update(state(read(t), ReferralState.COMPLETED), p.owner));
        assertThat(refusal).contains("requested (依頼済)", "completed (完了)", "received (受付)", "accepted (受諾)",
                "declined (辞退)", "cancelled (取消)");
        assertThat(refused(403, () -> update(state(read(t), ReferralState.ACCEPTED), p.requester)))
                .contains("only the owner", p.owner);
        assertThat(refused(400, () -> update(state(read(t), ReferralState.ACCEPTED), null))).contains(ACTING);
        Task inconsistent = read(t).setStatus(TaskStatus.COMPLETED);
        assertThat(refused(422, () -> update(inconsistent, p.owner))).contains("no referral state");
        Task elsewhere = read(t).setOwner(new Reference(p.requester));
        assertThat(refused(422, () -> update(elsewhere, p.owner))).contains("Task.owner cannot change");

        Task startedLate = task(p.referral, p.patient, p.requester, p.owner);
        state(startedLate, ReferralState.ACCEPTED);
        assertThat(refused(422, () -> create(startedLate, p.requester))).contains("starts as requested");
        assertThat(refused(403, () -> create(task(p.referral, p.patient, p.requester, p.owner), p.owner)))
                .contains("only the requester");
        assertThat(refused(400, () -> create(task(p.referral, p.patient, p.requester, p.owner), null))).contains(ACTING);

        // Updates that move nothing (a note, say) need no header and are not transitions.
        Task noted = read(t);
        noted.addNote().setText("外来予約の調整中 (arranging an appointment)");
        update(noted, null);
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REQUESTED);
    }

    @Test
    void aReasonCarriesACodeOrATextNotABareCodingSystem() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Task systemOnly = state(read(t), ReferralState.DECLINED);
        systemOnly.setStatusReason(new CodeableConcept().addCoding(new Coding().setSystem("http://x")));
        assertThat(refused(422, () -> update(systemOnly, p.owner))).contains("statusReason", "declined (辞退)");
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REQUESTED);

        Task coded = state(read(t), ReferralState.DECLINED);
        coded.setStatusReason(new CodeableConcept().addCoding(new Coding("http://x", "capacity", null)));
        update(coded, p.owner);
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REJECTED);
    }

    @Test
    void eachFrozenElementOfATaskSaysWhyInItsOwnWords() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Task otherPatient = read(t).setFor(new Reference(patient(p.requester)));
        assertThat(refused(422, () -> update(otherPatient, p.owner)))
                .contains("Task.for cannot change", "患者", "wrong patient").doesNotContain("refer elsewhere", "紹介先");
        Task otherRequester = read(t).setRequester(new Reference(p.owner));
        assertThat(refused(422, () -> update(otherRequester, p.owner)))
                .contains("Task.requester cannot change", "紹介元").doesNotContain("refer elsewhere");
        Task otherFocus = read(t).setFocus(new Reference(create(referral("referral", p.patient, p.requester, p.owner), null)));
        assertThat(refused(422, () -> update(otherFocus, p.owner))).contains("Task.focus cannot change", "Task of its own");
    }

    @Test
    void aReferralHasOneTaskAndANewOneOnlyAfterTheEarlierWasDeclinedOrCancelled() {
        Parties p = parties();
        String first = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        assertThat(refused(422, () -> create(task(p.referral, p.patient, p.requester, p.owner), p.requester)))
                .contains("Task.focus", first, "one Task", "new ServiceRequest");
        move(first, ReferralState.ACCEPTED, p.owner);
        assertThat(refused(422, () -> create(task(p.referral, p.patient, p.requester, p.owner), p.requester))).contains(first);

        Task cancelled = state(read(first), ReferralState.CANCELLED);
        cancelled.setStatusReason(new CodeableConcept().setText("日程が合わず取り消し、改めて依頼 (cancelled, asked again)"));
        update(cancelled, p.requester);
        String second = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        assertThat(ids(search("Task?focus=" + p.referral + "&status=requested"))).containsExactly(second);
        assertThat(refused(422, () -> create(task(p.referral, p.patient, p.requester, p.owner), p.requester))).contains(second);
    }

    /** A referral created with its Task is not read back nor searched for other Tasks; a second Task in the same transaction still is. */
    @Test
    void aReferralCreatedWithTwoTasksInOneTransactionIsRefusedWhole() {
        Parties p = parties();
        ServiceRequest referral = referral("referral", p.patient, p.requester, p.owner);
        referral.addIdentifier().setSystem("https://fhir.example.jp/test-clinic/sid/referral").setValue("R-" + SEQUENCE.incrementAndGet());
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(IN_TRANSACTION).setResource(referral).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        for (int i = 0; i < 2; i++) {
            bundle.addEntry().setResource(task(IN_TRANSACTION, p.patient, p.requester, p.owner)).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        }
        assertThat(refused(422, () -> fhir.transaction().withBundle(bundle).withAdditionalHeader(ACTING, p.requester).execute()))
                .contains("Task.focus", "one Task");
        assertThat(search("ServiceRequest?identifier=" + referral.getIdentifierFirstRep().getValue()).getEntry()).isEmpty();

        Bundle one = transaction(referral, task(IN_TRANSACTION, p.patient, p.requester, p.owner), p.requester);
        String stored = one.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(ids(search("Task?focus=" + stored))).hasSize(1);
        assertThat(refused(422, () -> create(task(stored, p.patient, p.requester, p.owner), p.requester))).contains("one Task");
    }

    @Test
    void twoTasksForOneReferralSentAtTheSameInstantMakeOneTask() throws Exception {
        ExecutorService hospitals = Executors.newFixedThreadPool(2);
        try {
            for (int attempt = 0; attempt < 10; attempt++) {
                Parties p = parties();
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    answers.add(hospitals.submit(() -> {
                        together.await();
                        try {
                            create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
                            return 201;
                        } catch (BaseServerResponseException refused) {
                            return refused.getStatusCode();
                        }
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get(60, TimeUnit.SECONDS));
                }
                assertThat(statuses).as("attempt " + attempt).containsExactlyInAnyOrder(201, 422);
                assertThat(ids(search("Task?focus=" + p.referral))).as("attempt " + attempt).hasSize(1);
            }
        } finally {
            hospitals.shutdownNow();
        }
    }

    @Test
    void theActingOrganizationHeaderNamesAnOrganizationOfThisServerOrIsUnreadable() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        String garbage = refused(400, () -> update(state(read(t), ReferralState.ACCEPTED), "garbage"));
        assertThat(garbage).contains(ACTING, "garbage", "Organization/<id>").doesNotContain("only the");
        String elsewhere = "https://other.example/fhir/" + p.owner;
        assertThat(refused(400, () -> update(state(read(t), ReferralState.ACCEPTED), elsewhere)))
                .contains(elsewhere, "names no organization of this server");
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REQUESTED);

        // This server's own full URL of the organization is the organization.
        move(t, ReferralState.ACCEPTED, "http://localhost:" + port + "/fhir/" + p.owner);
    }

    @Test
    void anotherServersOrganizationIsNeverTakenForOursInATask() {
        Parties p = parties();
        Task foreignOwner = task(p.referral, p.patient, p.requester, "https://other.example/fhir/" + p.owner);
        assertThat(refused(422, () -> create(foreignOwner, p.requester))).contains("Task.owner", "organization of this server");
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Task moved = read(t).setOwner(new Reference("https://other.example/fhir/" + p.owner));
        assertThat(refused(422, () -> update(moved, p.owner))).contains("Task.owner cannot change");
    }

    @Test
    void anIllegalMoveInABatchIsAnsweredWithTheSameOperationOutcomeAsOnItsOwn() {
        Parties p = parties();
        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Task completed = state(read(t), ReferralState.COMPLETED);
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().setResource(completed).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(t);

        Bundle answer = fhir.transaction().withBundle(batch).withAdditionalHeader(ACTING, p.owner).execute();

        Bundle.BundleEntryResponseComponent response = answer.getEntryFirstRep().getResponse();
        assertThat(response.getStatus()).startsWith("422");
        OperationOutcome outcome = (OperationOutcome) response.getOutcome();
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.BUSINESSRULE);
        assertThat(outcome.getIssueFirstRep().getExpression()).extracting(StringType::getValue).containsExactly("Task.businessStatus");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("requested (依頼済)", "completed (完了)");
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.REQUESTED);
    }

    // ---- consent

    /** A hospital's genetic-test request to a lab, with its Task (requested), no consent yet. */
    private record GeneticTestRequest(String hospital, String lab, String patient, String referral, String task) {
    }

    private GeneticTestRequest geneticTestRequest() {
        String hospital = organization("10", "1", "hospital", "試験依頼病院");
        String lab = organization("10", "1", "hospital", "試験遺伝子検査拠点");
        String patient = patient(hospital);
        ServiceRequest request = referral("genetic-test-request", patient, hospital, lab);
        request.setCode(new CodeableConcept(new Coding(SERVICE_TYPE, "genetic-testing", null)));
        String referral = create(request, null);
        return new GeneticTestRequest(hospital, lab, patient, referral, create(task(referral, patient, hospital, lab), hospital));
    }

    @Test
    void aGeneticTestRequestIsRefusedWithoutConsentAndAcceptedWithIt() {
        GeneticTestRequest tasked = geneticTestRequest();
        String hospital = tasked.hospital();
        String lab = tasked.lab();
        String patient = tasked.patient();
        String sr = tasked.referral();
        String t = tasked.task();

        assertThat(refused(422, () -> move(t, ReferralState.ACCEPTED, lab))).contains("Consent", "genetic-test-request");

        // A consent that is only a draft, or that is another patient's, or covers IRUD only, does not count.
        String draft = create(consent(patient, "genetic-test-request", Consent.ConsentState.DRAFT), null);
        String otherPatients = create(consent(patient(hospital), "genetic-test-request", Consent.ConsentState.ACTIVE), null);
        String irudOnly = create(consent(patient, "irud-referral", Consent.ConsentState.ACTIVE), null);
        ServiceRequest stored = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        stored.addSupportingInfo(new Reference(draft)).addSupportingInfo(new Reference(otherPatients)).addSupportingInfo(new Reference(irudOnly));
        fhir.update().resource(stored).execute();
        assertThat(refused(422, () -> move(t, ReferralState.ACCEPTED, lab))).contains("Consent");

        String consent = create(consent(patient, "genetic-test-request", Consent.ConsentState.ACTIVE), null);
        stored = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        stored.addSupportingInfo(new Reference(consent));
        fhir.update().resource(stored).execute();
        move(t, ReferralState.ACCEPTED, lab);
        assertThat(read(t).getStatus()).isEqualTo(TaskStatus.ACCEPTED);
    }

    @Test
    void aReferralsCategoryCannotChangeOnceItHasItsTaskSoItsConsentRuleCannotBeSideStepped() {
        GeneticTestRequest r = geneticTestRequest();
        String sr = r.referral();
        assertThat(refused(422, () -> move(r.task(), ReferralState.ACCEPTED, r.lab()))).contains("Consent");

        ServiceRequest relabelled = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        relabelled.getCategoryFirstRep().getCodingFirstRep().setCode("referral");
        assertThat(refused(422, () -> fhir.update().resource(relabelled).execute()))
                .contains("ServiceRequest.category", sr, "has its Task", "category", "create a new referral");
        assertThat(refused(422, () -> move(r.task(), ReferralState.ACCEPTED, r.lab()))).contains("Consent", "genetic-test-request");

        // What an escalation or back-referral answers (basedOn) is fixed too; a display may still be corrected.
        ServiceRequest rebased = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        rebased.addBasedOn(new Reference(create(referral("referral", r.patient(), r.hospital(), r.lab()), null)));
        assertThat(refused(422, () -> fhir.update().resource(rebased).execute())).contains("ServiceRequest.basedOn", "basedOn");
        ServiceRequest displayed = fhir.read().resource(ServiceRequest.class).withId(sr).execute();
        displayed.getCategoryFirstRep().getCodingFirstRep().setDisplay("遺伝学的検査依頼");
        fhir.update().resource(displayed).execute();

        // Before it has a Task, a referral may still be corrected.
        ServiceRequest untasked = fhir.read().resource(ServiceRequest.class).withId(create(referral("referral",
                r.patient(), r.hospital(), r.lab()), null)).execute();
        untasked.getCategoryFirstRep().getCodingFirstRep().setCode("genetic-test-request");
        fhir.update().resource(untasked).execute();
    }

    @Test
    void aGeneticTestRequestNeedsConsentWhicheverOfItsCategoryCodingsComesFirst() {
        String hospital = organization("10", "1", "hospital", "試験依頼病院");
        String lab = organization("10", "1", "hospital", "試験遺伝子検査拠点");
        String patient = patient(hospital);
        ServiceRequest request = referral("referral", patient, hospital, lab);
        request.getCategoryFirstRep().addCoding(new Coding(CATEGORY, "genetic-test-request", null));
        request.setCode(new CodeableConcept(new Coding(SERVICE_TYPE, "genetic-testing", null)));
        String sr = create(request, null);
        String t = create(task(sr, patient, hospital, lab), hospital);
        assertThat(refused(422, () -> move(t, ReferralState.ACCEPTED, lab))).contains("Consent", "genetic-test-request");
    }

    // ---- transition care

    @Test
    void aTransitionReferralNamesBothDepartmentsAndThePrefecturesSupportCenterWhereOneIsDesignated() {
        // Prefecture 12 (千葉県) gets a 移行期医療支援センター for this test; prefecture 10 has none.
        String government = create(Network.prefectureGovernment("12", "千葉県"), null);
        Organization chiba = Network.prefectureNetwork("12", "千葉県難病医療提供体制", new Reference(government));
        chiba.addIdentifier().setSystem(NanbyoIdentifierSystems.PREFECTURE_NETWORK).setValue("12"); // as the designation import sets it
        String network = create(chiba, null);
        String center = organization("12", "1", "hospital", "試験こども病院 移行期医療支援センター");
        create(Network.designation(new Reference(network), new Reference(center), "transition-support-center", "2025-04-01", null), null);
        String children = organization("12", "1", "hospital", "試験小児医療センター");
        String adult = organization("12", "1", "hospital", "試験成人病院");
        String patient = patient(children);

        ServiceRequest noDepartments = referral("transition-referral", patient, children, adult);
        assertThat(refused(422, () -> create(noDepartments, null))).contains("nanbyo-ref-2");

        ServiceRequest noCenter = transition(referral("transition-referral", patient, children, adult), null);
        assertThat(refused(422, () -> create(noCenter, null))).contains("移行期医療支援センター", center);
        ServiceRequest wrongCenter = transition(referral("transition-referral", patient, children, adult), adult);
        assertThat(refused(422, () -> create(wrongCenter, null))).contains(center);

        String sr = create(transition(referral("transition-referral", patient, children, adult), center), null);
        String t = create(task(sr, patient, children, adult), children);
        move(t, ReferralState.ACCEPTED, adult);

        // Where no center is designated (prefecture 10 here), naming both departments is enough.
        String gunmaChildren = organization("10", "1", "hospital", "試験群馬小児病院");
        String gunmaAdult = organization("10", "1", "hospital", "試験群馬成人病院");
        create(transition(referral("transition-referral", patient(gunmaChildren), gunmaChildren, gunmaAdult), null), null);
    }

    // ---- inquiries

    @Test
    void anInquiryThreadAboutAReferralReadsBackInOrder() {
        Parties p = parties();
        Communication question = inquiry(p.referral, p.patient, p.owner, p.requester, "2025-10-02T11:00:00+09:00",
                "針筋電図の結果があれば、受診前にお送りいただけますか。");
        String q = create(question, null);
        Communication answer = inquiry(p.referral, p.patient, p.requester, p.owner, "2025-10-02T15:30:00+09:00",
                "本日、結果を診療情報提供書に追記してお送りしました。");
        answer.addInResponseTo(new Reference(q));
        String a = create(answer, null);

        assertThat(matches(search("Communication?about=" + p.referral + "&_sort=sent"))).containsExactly(q, a);
        assertThat(matches(search("Communication?recipient=" + p.owner))).containsExactly(a);
        Communication aboutNothing = inquiry(p.referral, p.patient, p.owner, p.requester, "2025-10-03T09:00:00+09:00", "…");
        aboutNothing.getAbout().clear();
        assertThat(refused(422, () -> create(aboutNothing, null))).contains("Communication.about");
    }

    // ---- the referral letter

    @Test
    void aJpClinsShapedReferralLetterIsValidatedAsTheReferralsSupportingInformation() {
        Parties p = parties();
        String letter = create(referralLetter(p.patient), null);
        ServiceRequest referral = fhir.read().resource(ServiceRequest.class).withId(p.referral).execute();
        referral.addSupportingInfo(new Reference(letter));
        fhir.update().resource(referral).execute();
        assertThat(fhir.read().resource(Bundle.class).withId(letter).execute().getType()).isEqualTo(Bundle.BundleType.DOCUMENT);

        Bundle consultNote = referralLetter(p.patient);
        ((Composition) consultNote.getEntryFirstRep().getResource()).setType(new CodeableConcept(
                new Coding("http://loinc.org", "11488-4", "Consult note")));
        assertThat(refused(422, () -> create(consultNote, null))).contains("nanbyo-doc-1");
        Bundle noSection = referralLetter(p.patient);
        ((Composition) noSection.getEntryFirstRep().getResource()).getSection().clear();
        assertThat(refused(422, () -> create(noSection, null))).contains("nanbyo-doc-2");
    }

    // ---- notifications

    @Test
    void anInboxSubscriberIsNotifiedOfReferralsForItsOrganizationOnly() throws Exception {
        Parties p = parties();
        String other = organization("10", "1", "hospital", "試験他院");
        String subscription = create(subscription(RECEIVER.endpoint("inbox"), "Task?owner=" + p.owner), null);
        Eventually.waitUntil(DELIVERY, subscription + " active", () -> fhir.read().resource(Subscription.class)
                .withId(subscription).execute().getStatus() == Subscription.SubscriptionStatus.ACTIVE);

        String t = create(task(p.referral, p.patient, p.requester, p.owner), p.requester);
        Bundle created = FHIR.newJsonParser().parseResource(Bundle.class, RECEIVER.next("inbox", DELIVERY).body());
        Parameters status = (Parameters) created.getEntryFirstRep().getResource();
        assertThat(status.getParameter("topic").getValue().primitiveValue()).isEqualTo(NanbyoPackage.SUBSCRIPTION_TOPIC_REFERRAL_CHANGED);
        assertThat(created.getEntry().get(1).hasResource()).as("id-only").isFalse();
        assertThat(created.getEntry().get(1).getFullUrl()).contains(t);

        move(t, ReferralState.ACCEPTED, p.owner);
        Bundle accepted = FHIR.newJsonParser().parseResource(Bundle.class, RECEIVER.next("inbox", DELIVERY).body());
        assertThat(accepted.getEntry().get(1).getFullUrl()).contains(t);
        assertThat(((Parameters) accepted.getEntryFirstRep().getResource()).getParameter("events-since-subscription-start")
                .getValue().primitiveValue()).isEqualTo("2");

        // A referral to another organization is not this subscriber's business.
        create(task(create(referral("referral", p.patient, p.requester, other), null), p.patient, p.requester, other), p.requester);
        assertThat(RECEIVER.drain("inbox", Duration.ofSeconds(3))).isEmpty();
    }

    // ---- helpers: the parties

    record Parties(String requester, String owner, String patient, String referral) {
    }

    Parties parties() {
        String requester = organization("10", "1", "clinic", "試験紹介元クリニック");
        String owner = organization("10", "1", "hospital", "試験紹介先病院");
        String patient = patient(requester);
        return new Parties(requester, owner, patient, create(referral("referral", patient, requester, owner), null));
    }

    /** A hospital or clinic with a fresh 医療機関コード of the prefecture. */
    String organization(String prefecture, String feeTable, String type, String name) {
        String code = prefecture + feeTable + String.format("9%06d", SEQUENCE.incrementAndGet());
        Organization organization = Network.hospital(code, name + " " + code, "シケン");
        organization.getTypeFirstRep().getCodingFirstRep().setCode(type);
        return create(organization, null);
    }

    String nationalBody(String name) {
        Organization body = new Organization();
        body.getMeta().addProfile(NanbyoPackage.profileUrl("nanbyo-national-body"));
        body.setActive(true);
        body.addType(new CodeableConcept(new Coding(Network.ORGANIZATION_TYPE, "national-body", null)));
        body.setName(name + " " + SEQUENCE.incrementAndGet());
        return create(body, null);
    }

    String patient(String institution) {
        String code = fhir.read().resource(Organization.class).withId(institution).execute().getIdentifier().stream()
                .filter(i -> JpCoreSystems.MEDICAL_INSTITUTION_CODE.equals(i.getSystem())).findFirst().orElseThrow().getValue();
        Patient patient = new Patient();
        patient.getMeta().addProfile(NanbyoPackage.PROFILE_PATIENT);
        patient.addIdentifier().setSystem(PATIENT_ID + code).setValue(String.format("%08d", SEQUENCE.incrementAndGet()));
        patient.addName().setText("難病 花子").setFamily("難病").addGiven("花子");
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("2007-06-01"));
        return create(patient, null);
    }

    // ---- helpers: resources

    static ServiceRequest based(ServiceRequest referral, String original) {
        referral.addBasedOn(new Reference(original));
        return referral;
    }

    static ServiceRequest transition(ServiceRequest referral, String center) {
        Extension care = referral.addExtension().setUrl(NanbyoPackage.EXTENSION_TRANSITION_CARE);
        care.addExtension("pediatricDepartment", new CodeableConcept().setText("小児科"));
        care.addExtension("adultDepartment", new CodeableConcept().setText("脳神経内科"));
        if (center != null) {
            care.addExtension("supportCenter", new Reference(center));
        }
        referral.setCode(new CodeableConcept(new Coding(SERVICE_TYPE, "transition-care", null)));
        return referral;
    }

    static Task state(Task task, ReferralState state) {
        task.setStatus(state.taskStatus());
        task.setBusinessStatus(state.businessStatus() == null ? null
                : new CodeableConcept(new Coding(BUSINESS_STATUS, state.businessStatus(), null)));
        return task;
    }

    static Consent consent(String patient, String category, Consent.ConsentState status) {
        Consent consent = new Consent();
        consent.setStatus(status);
        consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment")));
        consent.addCategory(new CodeableConcept(new Coding(CATEGORY, category, null)));
        consent.setPatient(new Reference(patient));
        consent.setDateTimeElement(new DateTimeType("2025-10-01T09:00:00+09:00"));
        consent.getPolicyRule().setText("遺伝学的検査に関する説明と同意 (informed consent with genetic counselling)");
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        return consent;
    }

    static Communication inquiry(String referral, String patient, String sender, String recipient, String sent, String text) {
        Communication inquiry = new Communication();
        inquiry.getMeta().addProfile(NanbyoPackage.PROFILE_REFERRAL_INQUIRY);
        inquiry.setStatus(Communication.CommunicationStatus.COMPLETED);
        inquiry.setSubject(new Reference(patient));
        inquiry.addAbout(new Reference(referral));
        inquiry.setSentElement(new DateTimeType(sent));
        inquiry.setSender(new Reference(sender));
        inquiry.addRecipient(new Reference(recipient));
        inquiry.addPayload().setContent(new StringType(text));
        return inquiry;
    }

    /** A 診療情報提供書 in JP-CLINS's shape: a document Bundle, Composition (57133-1) first, the patient in it. */
    static Bundle referralLetter(String patient) {
        Bundle document = new Bundle();
        document.getMeta().addProfile(NanbyoPackage.PROFILE_REFERRAL_DOCUMENT);
        document.setType(Bundle.BundleType.DOCUMENT);
        document.getIdentifier().setSystem("https://fhir.example.jp/test-clinic/sid/document-id").setValue("DOC-" + SEQUENCE.incrementAndGet());
        document.setTimestampElement(new org.hl7.fhir.r4.model.InstantType("2025-10-01T09:20:00+09:00"));
        String patientUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        String authorUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        Composition composition = new Composition();
        composition.setStatus(Composition.CompositionStatus.FINAL);
        composition.setType(new CodeableConcept(new Coding("http://loinc.org", "57133-1", "Referral note")).setText("診療情報提供書"));
        composition.setSubject(new Reference(patientUrl));
        composition.setDateElement(new DateTimeType("2025-10-01T09:20:00+09:00"));
        composition.addAuthor(new Reference(authorUrl));
        composition.setTitle("診療情報提供書");
        Narrative purpose = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        purpose.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">確定診断についての御高診 (" + patient + ")</div>");
        composition.addSection().setTitle("紹介目的").setText(purpose);
        document.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(composition);
        Patient subject = new Patient();
        subject.addIdentifier().setSystem(PATIENT_ID + "1010112611").setValue("00012345");
        subject.addName().setText("難病 花子");
        document.addEntry().setFullUrl(patientUrl).setResource(subject);
        Organization author = new Organization().setName("試験紹介元クリニック");
        document.addEntry().setFullUrl(authorUrl).setResource(author);
        return document;
    }

    static Subscription subscription(String endpoint, String filter) {
        Subscription subscription = new Subscription();
        subscription.getMeta().addProfile("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription");
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription.setReason("当院宛ての紹介の受信箱 (our referral inbox)");
        subscription.setCriteria(NanbyoPackage.SUBSCRIPTION_TOPIC_REFERRAL_CHANGED);
        subscription.getCriteriaElement().addExtension(
                "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria", new StringType(filter));
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(endpoint)
                .setPayload("application/fhir+json");
        subscription.getChannel().getPayloadElement().addExtension(
                "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content",
                new org.hl7.fhir.r4.model.CodeType("id-only"));
        return subscription;
    }

    // ---- helpers: REST

    String create(IBaseResource resource, String actingFor) {
        var create = fhir.create().resource(resource);
        if (actingFor != null) {
            create = create.withAdditionalHeader(ACTING, actingFor);
        }
        return create.execute().getId().toUnqualifiedVersionless().getValue();
    }

    void update(Task task, String actingFor) {
        ca.uhn.fhir.rest.gclient.IUpdateExecutable update = fhir.update().resource(task);
        if (actingFor != null) {
            update = update.withAdditionalHeader(ACTING, actingFor);
        }
        update.execute();
    }

    /** A transaction creating a referral (fullUrl {@link #IN_TRANSACTION}) and its Task, as {@code actingFor}. */
    Bundle transaction(ServiceRequest referral, Task task, String actingFor) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(IN_TRANSACTION).setResource(referral).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        bundle.addEntry().setResource(task).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        return fhir.transaction().withBundle(bundle).withAdditionalHeader(ACTING, actingFor).execute();
    }

    Task read(String task) {
        return fhir.read().resource(Task.class).withId(task).execute();
    }

    void move(String task, ReferralState to, String actingFor) {
        update(state(read(task), to), actingFor);
        assertThat(ReferralState.of(read(task))).contains(to);
    }

    void complete(String task, String owner, String result, String what) {
        Task done = state(read(task), ReferralState.COMPLETED);
        done.addOutput().setType(new CodeableConcept().setText(what)).setValue(new Reference(result));
        update(done, owner);
    }

    /** The refusal's status must be {@code status}; answers its message (with the OperationOutcome's diagnostics). */
    static String refused(int status, Runnable call) {
        BaseServerResponseException refusal = catchThrowableOfType(call::run, BaseServerResponseException.class);
        assertThat(refusal).as("refused with " + status).isNotNull();
        assertThat(refusal.getStatusCode()).as(refusal.getMessage()).isEqualTo(status);
        return refusal.getMessage() + " " + refusal.getResponseBody();
    }

    Bundle search(String query) {
        return fhir.search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    static List<String> ids(Bundle bundle) {
        return matches(bundle);
    }

    static List<String> matches(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    static List<String> included(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    private static LoopbackReceiver startReceiver() {
        try {
            return new LoopbackReceiver();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the loopback receiver", e);
        }
    }
}
