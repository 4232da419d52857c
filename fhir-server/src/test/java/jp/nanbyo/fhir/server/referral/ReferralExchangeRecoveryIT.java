package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.ReferralResources.endpoint;
import static jp.nanbyo.fhir.server.referral.ReferralResources.referral;
import static jp.nanbyo.fhir.server.referral.ReferralResources.task;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.TestCertificates;
import jp.nanbyo.fhir.server.ChildJvm;
import jp.nanbyo.fhir.server.EmbeddedPostgresInitializer;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.server.SecondServer;
import jp.nanbyo.fhir.server.SourceDirectoryApplication;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Our own process killed mid-delivery, for real (SIGKILL), on PostgreSQL: the server only queues
 * ({@code deliver=false}); the delivery route runs as a child JVM of its own ({@link ExchangeRoutesApplication}) sharing
 * the database. The registry stand-in (a second, real FHIR server behind an HTTPS {@link PartnerFront}) receives the
 * referral while the route waits for its answer; the route is killed then; the registry commits all the same. Started
 * again, the route takes the entry once its lease has ended and delivers it again: the registry holds it once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class ReferralExchangeRecoveryIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-exchange-recovery-");
    static final Path CERTIFICATES = TestDataDir.fresh("it-exchange-recovery-tls-");
    static final TestCertificates.SelfSigned FRONT_CERTIFICATE = TestCertificates.selfSigned(CERTIFICATES, "registry-front");
    static final SecondServer REGISTRY = SecondServer.start(TestDataDir.fresh("it-exchange-recovery-registry-"),
            List.of(SourceDirectoryApplication.REGISTRY, "--nanbyo.demo-data=false"));
    static final PartnerFront FRONT = new PartnerFront(FRONT_CERTIFICATE, URI.create("http://127.0.0.1:" + REGISTRY.port() + "/fhir"));
    static final String SENT = "http://nanbyo.jp/fhir/sid/referral-exchange/gunma";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.referral-exchange.deliver", () -> "false"); // the child JVM delivers
        registry.add("nanbyo.referral-exchange.node-id", () -> "gunma");
    }

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    final List<Process> routes = new ArrayList<>();

    @AfterEach
    void stop() {
        routes.forEach(Process::destroyForcibly);
        FRONT.close();
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        REGISTRY.stop();
    }

    @Test
    void ourRouteKilledWhileThePartnerCommitsResumesAfterItsLeaseAndThePartnerHoldsTheReferralOnce() throws Exception {
        FhirContext.forR4Cached().getRestfulClientFactory().setSocketTimeout(60_000);
        IGenericClient fhir = TestFhirClient.of(port);
        IGenericClient registry = REGISTRY.awaitReady().client();
        FRONT.slow(Duration.ofSeconds(8)); // the registry sees the referral 8 s after it arrives: time to kill the route

        Process first = startRoutes();
        String task = referToRegistry(fhir);
        Eventually.waitUntil(Duration.ofMinutes(3), "the route sent the referral", () -> FRONT.received() >= 1);
        first.destroyForcibly(); // SIGKILL mid-delivery: no answer recorded, the entry held until its lease ends
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Eventually.waitUntil(Duration.ofSeconds(30), "the registry committed all the same", () -> FRONT.passedOn() >= 1);
        assertThat(outboxEntry(task).path("state").asText()).as("nobody recorded the delivery").isEqualTo("pending");
        FRONT.slow(Duration.ZERO);

        startRoutes();
        Eventually.waitUntil(Duration.ofMinutes(3), "delivered by the route started again",
                () -> outboxEntry(task).path("state").asText().equals("delivered"));
        assertThat(outboxEntry(task).path("attempts").asInt()).as("taken again after its lease").isEqualTo(2);
        assertThat(FRONT.passedOn()).as("sent twice").isEqualTo(2);
        assertThat(registry.search().byUrl("Task?identifier=" + SENT + "|" + task).returnBundle(Bundle.class).execute().getEntry())
                .as("held once").hasSize(1);
    }

    /** The route as a child JVM on our database, reading our server; settings as in ReferralExchangeIT. */
    Process startRoutes() throws Exception {
        String exchange = "--nanbyo.referral-exchange.";
        List<String> command = ChildJvm.command("256m", ExchangeRoutesApplication.class);
        command.addAll(List.of(
                "--spring.datasource.url=" + environment.getProperty("nanbyo.database.url"),
                "--spring.ssl.bundle.jks.partners.truststore.location=file:" + FRONT_CERTIFICATE.trustStore(),
                "--spring.ssl.bundle.jks.partners.truststore.password=" + TestCertificates.STORE_PASSWORD,
                "--spring.ssl.bundle.jks.partners.truststore.type=PKCS12",
                exchange + "fhir-base-url=http://127.0.0.1:" + port + "/fhir",
                exchange + "ssl-bundle=partners",
                exchange + "node-id=gunma",
                exchange + "poll-interval=100ms",
                exchange + "first-retry-delay=300ms",
                exchange + "connect-timeout=2s",
                exchange + "read-timeout=4s",
                exchange + "lease=15s"));
        File log = DATA_DIR.resolve("routes-" + routes.size() + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        routes.add(process);
        return process;
    }

    String referToRegistry(IGenericClient fhir) {
        String requester = fhir.create().resource(Network.hospital("1011800001", "試験拠点病院 (recovery)", "シケン"))
                .execute().getId().toUnqualifiedVersionless().getValue();
        Patient person = new Patient();
        person.getMeta().addProfile(NanbyoPackage.PROFILE_PATIENT);
        person.addIdentifier().setSystem(ReferralResources.PATIENT_ID + "1011800001").setValue("R1");
        person.addName().setText("難病 三郎");
        person.setGender(AdministrativeGender.MALE).setBirthDateElement(new DateType("1990-02-03"));
        String patient = fhir.create().resource(person).execute().getId().toUnqualifiedVersionless().getValue();
        Organization body = new Organization();
        body.getMeta().addProfile(NanbyoPackage.profileUrl("nanbyo-national-body"));
        body.setActive(true);
        body.addType(new CodeableConcept(new Coding(Network.ORGANIZATION_TYPE, "national-body", null)));
        body.addIdentifier().setSystem("http://nanbyo.jp/fhir/sid/national-body").setValue("irud-recovery");
        body.setName("試験 IRUD (recovery)");
        String irud = fhir.create().resource(body).execute().getId().toUnqualifiedVersionless().getValue();
        fhir.create().resource(endpoint(irud, "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest",
                FRONT.base(), "application/fhir+json")).execute();
        String referral = fhir.create().resource(referral("irud-referral", patient, requester, irud))
                .withAdditionalHeader(ActingOrganization.HEADER, requester).execute().getId().toUnqualifiedVersionless().getValue();
        return fhir.create().resource(task(referral, patient, requester, irud))
                .withAdditionalHeader(ActingOrganization.HEADER, requester).execute().getId().toUnqualifiedVersionless().getValue();
    }

    JsonNode outboxEntry(String task) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/referral-exchange/outbox?task=" + task.substring("Task/".length()))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body()).path("entries").path(0);
    }
}
