package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.ReferralResources.endpoint;
import static jp.nanbyo.fhir.server.referral.ReferralResources.referral;
import static jp.nanbyo.fhir.server.referral.ReferralResources.task;
import static jp.nanbyo.fhir.server.referral.ReferralWorkflowIT.consent;
import static jp.nanbyo.fhir.server.referral.ReferralWorkflowIT.referralLetter;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.TestCertificates;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerNode;
import jp.nanbyo.fhir.server.EmbeddedPostgresInitializer;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.server.SecondServer;
import jp.nanbyo.fhir.server.SourceDirectoryApplication;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Referrals to IRUD end to end on PostgreSQL (docs/integration/referral-exchange.md): IRUD is a national body with
 * two Endpoints in our directory, a FHIR REST one (a second, real FHIR server standing in for its registry, behind
 * an HTTPS {@link PartnerFront} that misbehaves on demand) and a Matchmaker Exchange one (a real
 * {@link MatchmakerNode} on loopback). Every test makes its own IRUD and referral, so outbox entries never mix.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability // Spring Boot tests leave the Prometheus registry out unless asked
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class ReferralExchangeIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-exchange-data-");
    static final Path CERTIFICATES = TestDataDir.fresh("it-exchange-tls-");
    static final TestCertificates.SelfSigned FRONT_CERTIFICATE = TestCertificates.selfSigned(CERTIFICATES, "registry-front");
    static final SecondServer REGISTRY = SecondServer.start(TestDataDir.fresh("it-exchange-registry-"),
            List.of(SourceDirectoryApplication.REGISTRY, "--nanbyo.demo-data=false"));
    static final PartnerFront FRONT = new PartnerFront(FRONT_CERTIFICATE, URI.create("http://127.0.0.1:" + REGISTRY.port() + "/fhir"));
    static final MatchmakerNode MME = MatchmakerNode.https(CERTIFICATES, "irud-token");
    static final String NODE = "gunma";
    static final String SENT = "http://nanbyo.jp/fhir/sid/referral-exchange/" + NODE;
    static final String PSEUDONYM = "http://nanbyo.jp/fhir/sid/pseudonym/" + NODE;
    static final String HPO = "http://human-phenotype-ontology.org";
    static final String BUSINESS_STATUS = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-business-status");
    static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final Duration DELIVERY = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        MME.addPatient("IRUD-0001", List.of("HP:0001250", "HP:0001263", "HP:0000252"), List.of("SCN2A"));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("spring.ssl.bundle.jks.partners.truststore.location", () -> "file:" + FRONT_CERTIFICATE.trustStore());
        registry.add("spring.ssl.bundle.jks.partners.truststore.password", () -> TestCertificates.STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.partners.truststore.type", () -> "PKCS12");
        String exchange = "nanbyo.referral-exchange.";
        registry.add(exchange + "ssl-bundle", () -> "partners");
        registry.add(exchange + "node-id", () -> NODE);
        registry.add(exchange + "poll-interval", () -> "100ms");
        registry.add(exchange + "first-retry-delay", () -> "300ms");
        registry.add(exchange + "maximum-retry-delay", () -> "1s");
        registry.add(exchange + "maximum-attempts", () -> "5");
        registry.add(exchange + "connect-timeout", () -> "2s");
        registry.add(exchange + "read-timeout", () -> "3s");
        registry.add(exchange + "lease", () -> "15s");
        registry.add(exchange + "queue-age-warning", () -> "1s");
        registry.add(exchange + "credentials[0].address-prefix", () -> MME.matchUrl().toString().replace("/match", "/"));
        registry.add(exchange + "credentials[0].auth-token", () -> "irud-token");
    }

    @LocalServerPort
    int port;

    IGenericClient fhir;
    IGenericClient registry;

    @BeforeEach
    void clients() throws Exception {
        FhirContext.forR4Cached().getRestfulClientFactory().setSocketTimeout(60_000);
        fhir = TestFhirClient.of(port);
        registry = REGISTRY.awaitReady().client();
    }

    @AfterEach
    void partnersBehave() {
        FRONT.normal();
        MME.up();
        MME.failWith(0);
        MME.heartbeatDown(false);
    }

    @AfterAll
    static void stopPartners() throws InterruptedException {
        FRONT.close();
        MME.close();
        REGISTRY.stop(); // a whole server JVM: not left idling beside the test classes that run after this one
    }

    // ---- delivery

    @Test
    void aReferralToIrudReachesItsRegistryOnceUnderAPseudonymAndItsMatchmakerNodeWhoseMatchesBecomeTaskOutput()
            throws Exception {
        Referral sent = referToIrud(false);
        // The Task as created (version 1): the route may already be delivering it, since it looks as soon as it commits.
        Task created = fhir.read().resource(Task.class).withIdAndVersion(id(sent.task()), "1").execute();
        assertThat(businessStatus(created)).as("queued in the same transaction").isEqualTo("delivery-pending");
        assertThat(outbox("task=" + id(sent.task())).path("entries")).hasSize(2);

        awaitEntryState(sent, "delivered");
        Eventually.waitUntil(DELIVERY, "matched", () -> mmeEntry(sent).path("state").asText().equals("delivered"));
        Task delivered = awaitBusinessStatus(sent.task(), "delivered");
        Eventually.waitUntil(DELIVERY, "the matches recorded", () -> read(sent.task()).hasOutput());
        delivered = read(sent.task());
        assertThat(delivered.getOutput()).as("the matchmaker node's answer: its one patient").hasSize(1)
                .allSatisfy(output -> assertThat(output.getType().getCodingFirstRep().getCode()).isEqualTo("mme-match"));
        assertThat(delivered.getOutputFirstRep().getValue()).isInstanceOf(org.hl7.fhir.r4.model.Attachment.class);

        assertThat(atRegistry("Task", sent.task())).as("one Task at the registry").hasSize(1);
        assertThat(atRegistry("ServiceRequest", sent.referral())).hasSize(1);
        Patient patient = onlyPatientAtRegistry(sent);
        assertThat(patient.getName()).as("no name leaves without consent to disclose").isEmpty();
        assertThat(patient.getBirthDateElement().getValueAsString()).as("the birth year only").isEqualTo("1998");
        assertThat(patient.getIdentifier()).extracting(i -> i.getSystem()).containsExactly(PSEUDONYM);
        assertThat(registry.search().byUrl("Observation?identifier=" + SENT + "|").returnBundle(Bundle.class).execute().getEntry()
                .stream().filter(e -> ((Observation) e.getResource()).getSubject().getReference()
                        .endsWith("Patient/" + patient.getIdElement().getIdPart())).count()).isEqualTo(2);
        assertThat(registry.search().byUrl("Bundle?identifier=" + sent.letterIdentifier()).returnBundle(Bundle.class).execute()
                .getEntry()).as("the letter names the patient: not sent without consent to disclose").isEmpty();

        JsonNode match = JSON.readTree(MME.lastMatchBody());
        assertThat(match.at("/patient/id").asText()).as("the same pseudonym at both").isEqualTo(patient.getIdentifierFirstRep().getValue());
        assertThat(MME.lastMatchBody()).doesNotContain("花子", "1998-04-12");
        assertThat(MME.lastMatchHeader("X-Auth-Token")).isEqualTo("irud-token");
    }

    @Test
    void withConsentToDiscloseThePatientIsNamedAndTheReferralLetterTravelsWithTheReferral() throws Exception {
        Referral sent = referToIrud(true);
        awaitBusinessStatus(sent.task(), "delivered");
        Patient patient = onlyPatientAtRegistry(sent);
        assertThat(patient.getNameFirstRep().getText()).isEqualTo("難病 太郎");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1998-04-12");
        assertThat(registry.search().byUrl("Bundle?identifier=" + sent.letterIdentifier()).returnBundle(Bundle.class).execute()
                .getEntry()).hasSize(1);
    }

    // ---- failures

    @Test
    void aRegistryDownForAWhileGetsTheReferralWhenBackWithNothingLostOrDuplicated() throws Exception {
        FRONT.down();
        Referral sent = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "two failed attempts", () -> fhirEntry(sent).path("attempts").asInt() >= 2);
        assertThat(businessStatus(fhir.read().resource(Task.class).withId(sent.task()).execute())).isEqualTo("delivery-pending");
        assertThat(fhirEntry(sent).path("lastError").asText()).contains("unreachable");
        FRONT.up();
        awaitEntryState(sent, "delivered");
        assertThat(atRegistry("Task", sent.task())).hasSize(1);
    }

    @Test
    void anAnswerCutOffAfterTheRegistryCommittedIsRetriedAndTheRegistryStillHoldsOneReferral() throws Exception {
        int passedOn = FRONT.passedOn();
        FRONT.cutAnswerTo("\"試験 IRUD " + (SEQUENCE.get() + 1) + "\"");
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        assertThat(FRONT.passedOn() - passedOn).as("delivered twice to the registry").isGreaterThanOrEqualTo(2);
        assertThat(fhirEntry(sent).path("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(atRegistry("Task", sent.task())).as("made once all the same").hasSize(1);
        assertThat(atRegistry("ServiceRequest", sent.referral())).hasSize(1);
        onlyPatientAtRegistry(sent);
    }

    @Test
    void aRegistryTooSlowToAnswerTimesOutAndTheRetryDoesNotDuplicate() throws Exception {
        int passedOn = FRONT.passedOn();
        FRONT.slow(Duration.ofSeconds(4)); // beyond the 3 s read time-out; the registry still commits after it
        Referral sent = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "a timed-out attempt", () -> fhirEntry(sent).path("lastError").asText().contains("imed"));
        FRONT.slow(Duration.ZERO);
        awaitEntryState(sent, "delivered");
        Eventually.waitUntil(DELIVERY, "the slow request passed on too", () -> FRONT.passedOn() - passedOn >= 2);
        assertThat(atRegistry("Task", sent.task())).hasSize(1);
    }

    /** A 409 is a concurrent write at the partner (two referrals of one patient at once): sent again, not dead-lettered. */
    @Test
    void aConflictAtTheRegistryIsRetriedAndTheReferralDeliveredOnce() throws Exception {
        FRONT.answerWith(409);
        Referral sent = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "an attempt answered 409", () -> fhirEntry(sent).path("lastError").asText().contains("409"));
        assertThat(fhirEntry(sent).path("state").asText()).isEqualTo("pending");
        FRONT.normal();
        awaitEntryState(sent, "delivered");
        assertThat(atRegistry("Task", sent.task())).hasSize(1);
    }

    @Test
    void aRefusalIsDeadLetteredAtOnceShownOnTheTaskAndReplayedByAnOperatorOnceFixed() throws Exception {
        FRONT.answerWith(422);
        Referral sent = referToIrud(false);
        awaitBusinessStatus(sent.task(), "delivery-failed");
        // The status may come first (the match's delivery, recorded meanwhile, sees the dead entry), its note right after.
        assertThat(awaitNote(sent.task(), "送達失敗")).contains("送達失敗", "422");
        JsonNode entry = fhirEntry(sent);
        assertThat(entry.path("state").asText()).isEqualTo("dead");
        assertThat(entry.path("attempts").asInt()).as("a refusal is not retried").isEqualTo(1);
        assertThat(outbox("state=dead").path("entries").findValuesAsText("id")).contains(entry.path("id").asText());

        FRONT.answerWith(0);
        FRONT.slow(Duration.ofSeconds(2)); // the replayed delivery takes a while: the Task shows it under way meanwhile
        assertThat(post("/referral-exchange/outbox/" + entry.path("id").asLong() + "/replay").statusCode()).isEqualTo(200);
        assertThat(businessStatus(read(sent.task()))).as("shown pending again at once").isEqualTo("delivery-pending");
        assertThat(awaitNote(sent.task(), "再送")).contains("outbox " + entry.path("id").asLong());
        awaitBusinessStatus(sent.task(), "delivered");
        assertThat(atRegistry("Task", sent.task())).hasSize(1);
        HttpResponse<String> again = post("/referral-exchange/outbox/" + entry.path("id").asLong() + "/replay");
        assertThat(again.statusCode()).as("only a dead entry is replayed").isEqualTo(409);
        assertThat(again.body()).contains("\"status\" : \"conflict\"", "is delivered, not dead-lettered",
                "delivered (送達済み) のため再送できません", "only a dead-lettered entry is replayed");
        HttpResponse<String> unknown = post("/referral-exchange/outbox/999999999/replay");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"status\" : \"not-found\"", "No outbox entry 999999999");
        assertThat(get("/referral-exchange/outbox?state=lost")).contains("\"status\" : \"bad-request\"",
                "state must be one of pending, delivered, skipped, dead");
        HttpResponse<String> unreadable = post("/referral-exchange/outbox/abc/replay");
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).contains("\"status\" : \"bad-request\"", "id の値「abc」を読めません", "a whole number");
    }

    @Test
    void aRegistryFailingWith503IsRetriedWithBackOffThenDeadLetteredAfterTheLimitAndTheHealthTurnsAmber() throws Exception {
        double retriedBefore = prometheus("nanbyo_referral_exchange_retried_total", "fhir-rest");
        double deadBefore = prometheus("nanbyo_referral_exchange_dead_lettered_total", "fhir-rest");
        FRONT.answerWith(503);
        Referral sent = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "the queue aged beyond 1 s", () -> health().contains("\"AMBER\""));
        awaitBusinessStatus(sent.task(), "delivery-failed");
        JsonNode entry = fhirEntry(sent);
        assertThat(entry.path("state").asText()).isEqualTo("dead");
        assertThat(entry.path("attempts").asInt()).as("maximum-attempts").isEqualTo(5);
        assertThat(entry.path("lastError").asText()).contains("gave up after 5 attempts", "503");
        // The operator's view: the same story on /actuator/prometheus (other tests' deliveries may add to it).
        assertThat(prometheus("nanbyo_referral_exchange_retried_total", "fhir-rest") - retriedBefore).isGreaterThanOrEqualTo(4);
        assertThat(prometheus("nanbyo_referral_exchange_dead_lettered_total", "fhir-rest") - deadBefore).isGreaterThanOrEqualTo(1);
        assertThat(get("/actuator/prometheus")).contains("nanbyo_referral_exchange_latency_seconds",
                "nanbyo_referral_exchange_attempt_duration_seconds");
    }

    @Test
    void theMatchmakerNodeDownIsRetriedButARequestItRefusesWhileItsHeartbeatAnswersIsDeadLettered() throws Exception {
        MME.down();
        Referral down = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "an attempt at a node that is down", () -> mmeEntry(down).path("attempts").asInt() >= 2);
        assertThat(mmeEntry(down).path("state").asText()).isEqualTo("pending");
        MME.up();
        Eventually.waitUntil(DELIVERY, "matched once the node is back", () -> mmeEntry(down).path("state").asText().equals("delivered"));

        MME.failWith(500); // the heartbeat still answers: the node is up and fails on our request
        Referral refused = referToIrud(false);
        Eventually.waitUntil(DELIVERY, "dead-lettered", () -> mmeEntry(refused).path("state").asText().equals("dead"));
        assertThat(mmeEntry(refused).path("attempts").asInt()).isEqualTo(1);
        awaitBusinessStatus(refused.task(), "delivery-failed");
        assertThat(awaitNote(refused.task(), "Matchmaker")).contains("Matchmaker", "500");
    }

    /**
     * The server remembers each owner's partner Endpoints while the directory does not change: turning a partner's
     * Endpoints off stops the next referral's queueing at once, turning one on again starts it, and one deleted in the
     * same transaction as a Task is gone for that Task.
     */
    @Test
    void newReferralsFollowThePartnersEndpointsAsTheyChange() throws Exception {
        Referral first = referToIrud(false);
        assertThat(businessStatus(read(first.task()))).isIn("delivery-pending", "delivered");

        Bundle endpoints = fhir.search().forResource(Endpoint.class).where(Endpoint.ORGANIZATION.hasId(first.irud()))
                .returnBundle(Bundle.class).execute();
        assertThat(endpoints.getEntry()).hasSize(2);
        for (Bundle.BundleEntryComponent entry : endpoints.getEntry()) {
            Endpoint endpoint = (Endpoint) entry.getResource();
            fhir.update().resource(endpoint.setStatus(Endpoint.EndpointStatus.OFF)).execute();
        }
        String second = createReferralAndTask(first, null);
        assertThat(businessStatus(read(second))).as("no active Endpoint: nothing to deliver").isNull();

        String fhirRestId = endpoints.getEntry().stream().map(entry -> (Endpoint) entry.getResource())
                .filter(endpoint -> "hl7-fhir-rest".equals(endpoint.getConnectionType().getCode())).findFirst().orElseThrow()
                .getIdElement().toUnqualifiedVersionless().getValue();
        Endpoint fhirRest = fhir.read().resource(Endpoint.class).withId(fhirRestId).execute();
        fhir.update().resource(fhirRest.setStatus(Endpoint.EndpointStatus.ACTIVE)).execute();
        String third = createReferralAndTask(first, null);
        assertThat(businessStatus(read(third))).as("its FHIR REST Endpoint on again").isIn("delivery-pending", "delivered");
        Eventually.waitUntil(DELIVERY, "the third referral delivered", () -> "delivered".equals(businessStatus(read(third))));

        String fourth = createReferralAndTask(first, fhirRestId);
        assertThat(businessStatus(read(fourth))).as("its only active Endpoint deleted with the Task").isNull();
    }

    /** A referral of the first's patient by its requester to its IRUD, with its Task, in one transaction (after a delete). */
    String createReferralAndTask(Referral first, String deleteFirst) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        if (deleteFirst != null) {
            transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(deleteFirst);
        }
        String referralUrl = "urn:uuid:" + UUID.randomUUID();
        transaction.addEntry().setFullUrl(referralUrl)
                .setResource(ReferralResources.referral("irud-referral", first.patient(), first.requester(), first.irud()))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(ReferralResources.task(referralUrl, first.patient(), first.requester(), first.irud()))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        Bundle answer = fhir.transaction().withBundle(transaction).withAdditionalHeader(ActingOrganization.HEADER, first.requester())
                .execute();
        String location = answer.getEntry().get(answer.getEntry().size() - 1).getResponse().getLocation();
        assertThat(location).startsWith("Task/");
        return new IdType(location).toUnqualifiedVersionless().getValue();
    }

    @Test
    void aReferralCancelledBeforeItsDeliveryIsNotSent() throws Exception {
        FRONT.down();
        MME.down();
        Referral sent = referToIrud(false);
        cancel(sent, "患者の希望により取り消し (the patient withdrew)");
        // An attempt that read the referral before the cancellation fails (partners down); the next one reads it cancelled.
        awaitEntryState(sent, "skipped");
        Eventually.waitUntil(DELIVERY, "the match skipped", () -> mmeEntry(sent).path("state").asText().equals("skipped"));
        assertThat(atRegistry("Task", sent.task())).isEmpty();
        assertThat(read(sent.task()).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
        // The cancellation queued with it waited for the delivery, then found there was nothing to cancel.
        Eventually.waitUntil(DELIVERY, "the cancellation skipped", () -> cancelEntry(sent).path("state").asText().equals("skipped"));
        assertThat(cancelEntry(sent).path("lastError").asText()).contains("never sent");
    }

    @Test
    void aCancellationReachesTheRegistryThatHoldsTheReferralAndCancelsItsCopyWithTheReason() throws Exception {
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        cancel(sent, "患者の希望により取り消し (the patient withdrew)");

        Eventually.waitUntil(DELIVERY, "the cancellation delivered", () -> cancelEntry(sent).path("state").asText().equals("delivered"));
        Task there = (Task) atRegistry("Task", sent.task()).get(0).getResource();
        assertThat(atRegistry("Task", sent.task())).as("still one Task at the registry").hasSize(1);
        assertThat(there.getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
        assertThat(there.getStatusReason().getText()).isEqualTo("患者の希望により取り消し (the patient withdrew)");
        assertThat(((ServiceRequest) atRegistry("ServiceRequest", sent.referral()).get(0).getResource()).getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        assertThat(outbox("task=" + id(sent.task())).path("entries").findValuesAsText("action"))
                .as("a match query leaves nothing at the node to cancel").containsExactlyInAnyOrder("deliver", "deliver", "cancel");
        assertThat(read(sent.task()).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
    }

    @Test
    void aCancellationWhileTheRegistryIsDownIsDeliveredWhenItIsBack() throws Exception {
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        FRONT.down();
        cancel(sent, "重複した紹介 (a duplicate referral)");
        Eventually.waitUntil(DELIVERY, "two failed attempts", () -> cancelEntry(sent).path("attempts").asInt() >= 2);
        assertThat(cancelEntry(sent).path("state").asText()).isEqualTo("pending");
        assertThat(((Task) atRegistry("Task", sent.task()).get(0).getResource()).getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        FRONT.up();
        Eventually.waitUntil(DELIVERY, "the cancellation delivered", () -> cancelEntry(sent).path("state").asText().equals("delivered"));
        assertThat(((Task) atRegistry("Task", sent.task()).get(0).getResource()).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
    }

    @Test
    void aCopyTheRegistryHasAlreadyCompletedIsLeftAsItIs() throws Exception {
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        Task there = (Task) atRegistry("Task", sent.task()).get(0).getResource();
        there.setStatus(Task.TaskStatus.COMPLETED);
        registry.update().resource(there).execute();
        cancel(sent, "患者の希望により取り消し (the patient withdrew)");

        Eventually.waitUntil(DELIVERY, "the cancellation skipped", () -> cancelEntry(sent).path("state").asText().equals("skipped"));
        assertThat(cancelEntry(sent).path("lastError").asText()).contains("completed already");
        assertThat(((Task) atRegistry("Task", sent.task()).get(0).getResource()).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    }

    // ---- inbound

    @Test
    void irudMovesItsTaskOverRestAndTheSameUpdateTwiceChangesNothing() throws Exception {
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        Eventually.waitUntil(DELIVERY, "matched", () -> mmeEntry(sent).path("state").asText().equals("delivered"));
        // Both deliveries recorded on the Task (outputs, then delivered): the route writes it no more.
        Eventually.waitUntil(DELIVERY, "delivered and matched", () -> read(sent.task()).hasOutput()
                && "delivered".equals(businessStatus(read(sent.task()))));
        Task accepted = fhir.read().resource(Task.class).withId(sent.task()).execute();
        accepted.setId(accepted.getIdElement().toUnqualifiedVersionless()); // the same update twice, not conditional on a version
        accepted.setStatus(Task.TaskStatus.ACCEPTED).setBusinessStatus(new CodeableConcept(new Coding(BUSINESS_STATUS, "accepted", null)));
        fhir.update().resource(accepted).withAdditionalHeader(ActingOrganization.HEADER, sent.irud()).execute();
        String version = fhir.read().resource(Task.class).withId(sent.task()).execute().getMeta().getVersionId();
        fhir.update().resource(accepted).withAdditionalHeader(ActingOrganization.HEADER, sent.irud()).execute();
        assertThat(fhir.read().resource(Task.class).withId(sent.task()).execute().getMeta().getVersionId())
                .as("a duplicate update makes no new version").isEqualTo(version);
    }

    @Test
    void irudUpdatesItsTaskByMessageThroughTheStateMachineAndTheSameMessageTwiceChangesNothing() throws Exception {
        Referral sent = referToIrud(false);
        awaitEntryState(sent, "delivered");
        Eventually.waitUntil(DELIVERY, "delivered and matched", () -> read(sent.task()).hasOutput()
                && "delivered".equals(businessStatus(read(sent.task()))));
        Task theirs = (Task) atRegistry("Task", sent.task()).get(0).getResource();
        Identifier irud = new Identifier().setSystem("http://nanbyo.jp/fhir/sid/national-body").setValue(sent.irudIdentifier());

        HttpResponse<String> accepted = processMessage(message(moved(theirs, "accepted", "accepted"), irud));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body()).at("/entry/0/resource/response/code").asText()).isEqualTo("ok");
        assertThat(read(sent.task()).getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);

        HttpResponse<String> skipped = processMessage(message(moved(theirs, "completed", "completed"), irud));
        assertThat(skipped.statusCode()).as("accepted → completed is no move of the state machine").isEqualTo(422);
        assertThat(skipped.body()).contains("OperationOutcome", "in-progress");

        Identifier hospital = new Identifier().setSystem(jp.nanbyo.fhir.terminology.JpCoreSystems.MEDICAL_INSTITUTION_CODE)
                .setValue(fhir.read().resource(Organization.class).withId(sent.requester()).execute().getIdentifierFirstRep().getValue());
        assertThat(processMessage(message(moved(theirs, "in-progress", "in-progress"), hospital)).statusCode())
                .as("only the owner starts it").isEqualTo(403);
        assertThat(processMessage(message(moved(theirs, "in-progress", "in-progress"), irud)).statusCode()).isEqualTo(200);
        Task completed = moved(theirs, "completed", "completed");
        completed.addOutput().setType(new CodeableConcept().setText("解析結果 (analysis result)"))
                .setValue(new org.hl7.fhir.r4.model.StringType("全エクソーム解析: 候補遺伝子 SCN2A (whole-exome analysis: candidate gene SCN2A)"));
        Bundle done = message(completed, irud);
        assertThat(processMessage(done).statusCode()).isEqualTo(200);
        Task ours = read(sent.task());
        assertThat(ours.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(ours.getOutput()).anySatisfy(output -> assertThat(output.getValue().primitiveValue()).contains("SCN2A"));
        String version = ours.getMeta().getVersionId();

        assertThat(processMessage(done).statusCode()).as("the same message again").isEqualTo(200);
        assertThat(read(sent.task()).getMeta().getVersionId()).as("changes nothing").isEqualTo(version);
        assertThat(read(sent.task()).getOutput()).as("its output not added twice").hasSize(ours.getOutput().size());

        Bundle unknownEvent = message(moved(theirs, "accepted", "accepted"), irud);
        ((MessageHeader) unknownEvent.getEntryFirstRep().getResource()).setEvent(new org.hl7.fhir.r4.model.UriType("http://example.org/other"));
        assertThat(processMessage(unknownEvent).statusCode()).isEqualTo(422);
    }

    static Task moved(Task theirs, String status, String businessStatus) {
        Task copy = theirs.copy();
        copy.setStatus(Task.TaskStatus.fromCode(status));
        copy.setBusinessStatus(new CodeableConcept(new Coding(BUSINESS_STATUS, businessStatus, null)));
        return copy;
    }

    static Bundle message(Task task, Identifier sender) {
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setTimestampElement(org.hl7.fhir.r4.model.InstantType.now());
        String taskUrl = "urn:uuid:" + UUID.randomUUID();
        MessageHeader header = new MessageHeader();
        header.setId(UUID.randomUUID().toString());
        header.setEvent(new org.hl7.fhir.r4.model.UriType("http://nanbyo.jp/fhir/message-event/referral-task-update"));
        header.getSource().setName("IRUD registry").setEndpoint("https://irud.example.jp/fhir");
        header.getSender().setIdentifier(sender);
        header.addFocus(new Reference(taskUrl));
        message.addEntry().setFullUrl("urn:uuid:" + header.getId()).setResource(header);
        message.addEntry().setFullUrl(taskUrl).setResource(task);
        return message;
    }

    HttpResponse<String> processMessage(Bundle message) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/$process-message"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(message)))
                        .build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- the referral

    record Referral(String requester, String irud, String irudIdentifier, String patient, String referral, String task,
            String letterIdentifier) {
    }

    /** A hub's IRUD referral with two HPO findings, consent, and a letter; IRUD made fresh, with both Endpoints. */
    Referral referToIrud(boolean disclose) {
        int n = SEQUENCE.incrementAndGet();
        Organization hub = Network.hospital("1011" + String.format("9%05d", n), "試験拠点病院 " + n, "シケンキョテン");
        hub.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("nanbyo-desk@hospital.example.jp");
        String requester = create(hub, null);
        String irud = irud(n);
        Patient person = new Patient();
        person.getMeta().addProfile(NanbyoPackage.PROFILE_PATIENT);
        person.addIdentifier().setSystem(ReferralResources.PATIENT_ID + hub.getIdentifierFirstRep().getValue()).setValue("P" + n);
        person.addName().setText("難病 太郎").setFamily("難病").addGiven("太郎");
        person.setGender(AdministrativeGender.MALE).setBirthDateElement(new DateType("1998-04-12"));
        String patient = create(person, null);
        Consent consent = consent(patient, "irud-referral", Consent.ConsentState.ACTIVE);
        if (disclose) {
            consent.getProvision().addAction(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentaction", "disclose", null)));
        }
        Bundle letter = referralLetter(patient);
        ServiceRequest request = referral("irud-referral", patient, requester, irud);
        request.addSupportingInfo(new Reference(create(phenotype(patient, "HP:0001250", "Seizure"), null)));
        request.addSupportingInfo(new Reference(create(phenotype(patient, "HP:0001263", "Global developmental delay"), null)));
        request.addSupportingInfo(new Reference(create(consent, null)));
        request.addSupportingInfo(new Reference(create(letter, null)));
        String referral = create(request, requester);
        String task = create(task(referral, patient, requester, irud), requester);
        return new Referral(requester, irud, "irud-test-" + n, patient, referral, task,
                letter.getIdentifier().getSystem() + "|" + letter.getIdentifier().getValue());
    }

    String irud(int n) {
        Organization body = new Organization();
        body.getMeta().addProfile(NanbyoPackage.profileUrl("nanbyo-national-body"));
        body.setActive(true);
        body.addType(new CodeableConcept(new Coding(Network.ORGANIZATION_TYPE, "national-body", null)));
        body.addIdentifier().setSystem("http://nanbyo.jp/fhir/sid/national-body").setValue("irud-test-" + n);
        body.setName("試験 IRUD " + n);
        String irud = create(body, null);
        create(endpoint(irud, "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest", FRONT.base(),
                "application/fhir+json"), null);
        create(endpoint(irud, NanbyoCanonical.url("CodeSystem", "nanbyo-endpoint-connection-type"), "matchmaker-exchange",
                MME.matchUrl().toString(), MatchmakerNode.MEDIA_TYPE), null);
        return irud;
    }

    static Observation phenotype(String patient, String hpo, String label) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(HPO, hpo, label)));
        observation.setSubject(new Reference(patient));
        return observation;
    }

    // ---- helpers

    String create(IBaseResource resource, String actingFor) {
        var create = fhir.create().resource(resource);
        if (actingFor != null) {
            create = create.withAdditionalHeader(ActingOrganization.HEADER, actingFor);
        }
        return create.execute().getId().toUnqualifiedVersionless().getValue();
    }

    static String id(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    static String businessStatus(Task task) {
        return task.getBusinessStatus().getCoding().stream().filter(c -> BUSINESS_STATUS.equals(c.getSystem()))
                .map(Coding::getCode).findFirst().orElse(null);
    }

    Task awaitBusinessStatus(String task, String code) throws Exception {
        Eventually.waitUntil(DELIVERY, task + " " + code, () -> code.equals(businessStatus(read(task))));
        return read(task);
    }

    /** The text of the Task's note that mentions {@code what}, once there is one. */
    String awaitNote(String task, String what) throws Exception {
        Eventually.waitUntil(DELIVERY, task + " noted " + what, () -> read(task).getNote().stream()
                .anyMatch(note -> note.getText() != null && note.getText().contains(what)));
        return read(task).getNote().stream().map(note -> note.getText()).filter(text -> text != null && text.contains(what))
                .findFirst().orElseThrow();
    }

    Task read(String task) {
        return fhir.read().resource(Task.class).withId(task)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true)).execute();
    }

    void awaitEntryState(Referral sent, String state) throws Exception {
        Eventually.waitUntil(DELIVERY, "outbox entry " + state, () -> fhirEntry(sent).path("state").asText().equals(state));
    }

    JsonNode fhirEntry(Referral sent) {
        return entry(sent, "fhir-rest");
    }

    JsonNode mmeEntry(Referral sent) {
        return entry(sent, "matchmaker-exchange");
    }

    JsonNode cancelEntry(Referral sent) {
        return entry(sent, "fhir-rest", "cancel");
    }

    JsonNode entry(Referral sent, String kind) {
        return entry(sent, kind, "deliver");
    }

    JsonNode entry(Referral sent, String kind, String action) {
        for (JsonNode entry : outbox("task=" + id(sent.task())).path("entries")) {
            if (entry.path("kind").asText().equals(kind) && entry.path("action").asText().equals(action)) {
                return entry;
            }
        }
        throw new AssertionError("no " + kind + " " + action + " outbox entry for " + sent.task());
    }

    /**
     * The requester cancels its referral, with a reason, as a careful client does: on the version it read, reading
     * again when the route recorded something on the Task meanwhile (409).
     */
    void cancel(Referral sent, String reason) {
        for (int attempt = 1; ; attempt++) {
            Task task = read(sent.task());
            task.setStatus(Task.TaskStatus.CANCELLED).setBusinessStatus(new CodeableConcept(new Coding(BUSINESS_STATUS, "cancelled", null)));
            task.getStatusReason().setText(reason);
            try {
                fhir.update().resource(task).withAdditionalHeader(ActingOrganization.HEADER, sent.requester()).execute();
                return;
            } catch (ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException movedMeanwhile) {
                if (attempt == 5) {
                    throw movedMeanwhile;
                }
            }
        }
    }

    JsonNode outbox(String query) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/referral-exchange/outbox?" + query)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    String health() throws Exception {
        return get("/actuator/health");
    }

    /** The sum over partners of a counter of {@code kind} in the Prometheus text format, 0 while it has no series. */
    double prometheus(String counter, String kind) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/actuator/prometheus")).header("Accept", "text/plain;version=0.0.4").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body().lines().filter(line -> line.startsWith(counter + "{") && line.contains("kind=\"" + kind + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the registry holds that carries our identifier of {@code ours} (e.g. {@code Task/12}). */
    List<Bundle.BundleEntryComponent> atRegistry(String type, String ours) {
        return registry.search().byUrl(type + "?identifier=" + SENT + "|" + ours).returnBundle(Bundle.class).execute().getEntry();
    }

    Patient onlyPatientAtRegistry(Referral sent) {
        Task there = (Task) atRegistry("Task", sent.task()).get(0).getResource();
        Patient patient = registry.read().resource(Patient.class).withId(there.getFor().getReferenceElement().getIdPart()).execute();
        List<Bundle.BundleEntryComponent> same = registry.search().byUrl("Patient?identifier=" + PSEUDONYM + "|"
                + patient.getIdentifierFirstRep().getValue()).returnBundle(Bundle.class).execute().getEntry();
        assertThat(same).as("one patient per pseudonym at the registry").hasSize(1);
        return patient;
    }
}
