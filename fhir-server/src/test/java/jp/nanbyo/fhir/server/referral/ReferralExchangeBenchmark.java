package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.ReferralResources.endpoint;
import static jp.nanbyo.fhir.server.referral.ReferralResources.referral;
import static jp.nanbyo.fhir.server.referral.ReferralResources.task;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.TestCertificates;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox;
import jp.nanbyo.fhir.server.CpuUse;
import jp.nanbyo.fhir.server.EmbeddedPostgresInitializer;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.server.RequestCpu;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Benchmark, not a test (not run by {@code ./mvnw verify}): {@value #REFERRALS} referrals to a partner, created by
 * {@value #CLIENTS} hospital clients as fast as the server takes them (each a transaction of its ServiceRequest and
 * Task), delivered by the route as shipped (default settings, validation on, PostgreSQL) to a {@link PartnerSimulator}
 * over HTTPS. Twice: the partner healthy, then down for {@value #OUTAGE_SECONDS} s from the middle of the run; then a
 * third, paced run at a load the server carries ({@link #paced}); last, the same creations with nothing to deliver
 * ({@link #creationAlone}), the ceiling of any delivery. Prints
 * the latency from a referral's creation (its request sent) to its first receipt at the partner (p50, p95, max),
 * throughput (receipts per second from the first creation to the last receipt), and how many were lost (never
 * received) and duplicated (received more than once). Run it with the command in
 * docs/integration/referral-exchange.md (section 11).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
@Import(RequestCpu.Config.class)
class ReferralExchangeBenchmark {

    static final int REFERRALS = Integer.getInteger("benchmark.referrals", 1000);
    static final int CLIENTS = 4;
    static final int OUTAGE_SECONDS = 30;
    static final int WARM_UP = Integer.getInteger("benchmark.warm-up-referrals", 300);
    /** The third run's pace: referrals created per second, steadily, well below what the server can take. */
    static final int PACED_RATE = Integer.getInteger("benchmark.paced-rate", 5);
    static final int PACED_REFERRALS = Integer.getInteger("benchmark.paced-referrals", 200);
    static final Path DATA_DIR = TestDataDir.fresh("benchmark-exchange-data-");
    static final Path CERTIFICATES = TestDataDir.fresh("benchmark-exchange-tls-");
    static final TestCertificates.SelfSigned CERTIFICATE = TestCertificates.selfSigned(CERTIFICATES, "partner-simulator");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "false");
        registry.add("spring.ssl.bundle.jks.partners.truststore.location", () -> "file:" + CERTIFICATE.trustStore());
        registry.add("spring.ssl.bundle.jks.partners.truststore.password", () -> TestCertificates.STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.partners.truststore.type", () -> "PKCS12");
        registry.add("nanbyo.referral-exchange.ssl-bundle", () -> "partners");
        registry.add("nanbyo.referral-exchange.node-id", () -> "benchmark");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReferralOutbox outbox;

    /**
     * A measured run. Latency is from a referral's request being sent (or due) to its first receipt at the partner;
     * delivery is from its creation being answered to that receipt (it may be negative: the route sends at commit,
     * before the answer reaches the client), splitting the latency into waiting for the creation and the route's part.
     */
    record Run(String name, List<Long> latenciesMillis, List<Long> deliveryMillis, double perSecond, int lost, int duplicated,
            double createdPerSecond, CpuUse cpu, String requestCpu) {
    }

    /** When a referral's request was sent (or due), and when its creation was answered. */
    record Sent(long sentNanos, long answeredNanos) {
    }

    @Test
    void referralsReachAPartnerHealthyAndThroughAnOutage() throws Exception {
        FhirContext.forR4Cached().getRestfulClientFactory().setSocketTimeout(120_000);
        IGenericClient fhir = TestFhirClient.of(port);
        try (PartnerSimulator partner = new PartnerSimulator(CERTIFICATE)) {
            Parties parties = parties(fhir, partner);
            System.out.println("ReferralExchangeBenchmark: " + REFERRALS + " referrals, " + CLIENTS + " clients, 2 cores, PostgreSQL,"
                    + " validation on, route as shipped, " + CpuUse.jvmFlags());
            RequestCpu.kinds(ReferralExchangeBenchmark::kindOfRequest);
            warmUp(fhir, parties, partner);
            RequestCpu.takeSummary(); // the warm-up's
            Run healthy = run("healthy", fhir, parties, partner, false);
            Run outage = run("30 s outage midway", fhir, parties, partner, true);
            Run paced = paced(fhir, parties, partner);
            String creationAlone = creationAlone(fhir, parties);
            print(healthy);
            print(outage);
            print(paced);
            System.out.println(creationAlone);
            System.out.printf("  targets (healthy): p95 ≤ 500 ms: %s; ≥ 100 referrals/s: %s; 0 lost and 0 duplicated in both: %s%n",
                    percentile(healthy.latenciesMillis(), 95) <= 500 ? "met" : "NOT met",
                    healthy.perSecond() >= 100 ? "met" : "NOT met",
                    healthy.lost() + healthy.duplicated() + outage.lost() + outage.duplicated() == 0 ? "met" : "NOT met");
            System.out.println("  outbox: " + outbox.countsByState());
            assertThat(healthy.lost() + outage.lost() + paced.lost()).as("lost").isZero();
            assertThat(healthy.duplicated() + outage.duplicated() + paced.duplicated()).as("duplicated").isZero();
        }
    }

    record Parties(String requester, String patient, String partner) {
    }

    Parties parties(IGenericClient fhir, PartnerSimulator partner) {
        Organization hub = Network.hospital("1011999999", "ベンチマーク拠点病院", "ベンチマーク");
        String requester = fhir.create().resource(hub).execute().getId().toUnqualifiedVersionless().getValue();
        Patient person = new Patient();
        person.getMeta().addProfile(NanbyoPackage.PROFILE_PATIENT);
        person.addIdentifier().setSystem(ReferralResources.PATIENT_ID + "1011999999").setValue("B0001");
        person.addName().setText("難病 次郎");
        person.setGender(AdministrativeGender.MALE).setBirthDateElement(new DateType("2001-01-01"));
        String patient = fhir.create().resource(person).execute().getId().toUnqualifiedVersionless().getValue();
        Organization body = new Organization();
        body.getMeta().addProfile(NanbyoPackage.profileUrl("nanbyo-national-body"));
        body.setActive(true);
        body.addType(new CodeableConcept(new Coding(Network.ORGANIZATION_TYPE, "national-body", null)));
        body.addIdentifier().setSystem("http://nanbyo.jp/fhir/sid/national-body").setValue("benchmark-registry");
        body.setName("ベンチマーク登録機関");
        String registry = fhir.create().resource(body).execute().getId().toUnqualifiedVersionless().getValue();
        fhir.create().resource(endpoint(registry, "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest",
                partner.base(), "application/fhir+json")).execute();
        return new Parties(requester, patient, registry);
    }

    /**
     * {@value #WARM_UP} referrals first, outside the measured runs: a freshly started JVM spends about a core on
     * compiling for its first minutes, which a server in service has long done.
     */
    void warmUp(IGenericClient fhir, Parties parties, PartnerSimulator partner) throws Exception {
        int before = partner.receipts().size();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<String>> sent = new ArrayList<>();
        for (int i = 0; i < WARM_UP; i++) {
            sent.add(clients.submit(() -> create(fhir, parties)));
        }
        for (Future<String> done : sent) {
            done.get();
        }
        clients.shutdown();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (partner.receipts().size() < before + WARM_UP && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        partner.receipts().clear();
    }

    Run run(String name, IGenericClient fhir, Parties parties, PartnerSimulator partner, boolean outage) throws Exception {
        partner.receipts().clear();
        Map<String, Sent> created = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CpuUse.Start cpu = CpuUse.start();
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        Thread outageThread = null;
        for (int c = 0; c < CLIENTS; c++) {
            work.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < REFERRALS; i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    String task = create(fhir, parties);
                    created.put(task, new Sent(sent, System.nanoTime()));
                }
                return null;
            }));
        }
        if (outage) {
            outageThread = new Thread(() -> {
                try {
                    while (next.get() < REFERRALS / 2) {
                        Thread.sleep(10);
                    }
                    partner.down();
                    System.out.println("  [" + name + "] partner down after " + next.get() + " referrals");
                    Thread.sleep(OUTAGE_SECONDS * 1000L);
                    partner.up();
                    System.out.println("  [" + name + "] partner up again");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            outageThread.start();
        }
        for (Future<?> done : work) {
            done.get();
        }
        double createdPerSecond = REFERRALS / ((System.nanoTime() - start) / 1e9);
        clients.shutdown();
        if (outageThread != null) {
            outageThread.join();
        }
        return collect(name, created, partner, start, REFERRALS, createdPerSecond, cpu);
    }

    /** Waits for every created referral to reach the partner (at most 10 minutes), then counts. */
    static Run collect(String name, Map<String, Sent> created, PartnerSimulator partner, long start, int referrals,
            double createdPerSecond, CpuUse.Start cpu) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!partner.receipts().keySet().containsAll(created.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        CpuUse used = cpu.stop();
        Thread.sleep(2000); // a late duplicate would arrive now
        List<Long> latencies = new ArrayList<>();
        List<Long> deliveries = new ArrayList<>();
        long last = start;
        int lost = 0;
        int duplicated = 0;
        for (Map.Entry<String, Sent> referral : created.entrySet()) {
            PartnerSimulator.Receipt receipt = partner.receipts().get(referral.getKey());
            if (receipt == null) {
                lost++;
                continue;
            }
            latencies.add((receipt.firstNanos() - referral.getValue().sentNanos()) / 1_000_000);
            deliveries.add((receipt.firstNanos() - referral.getValue().answeredNanos()) / 1_000_000);
            last = Math.max(last, receipt.firstNanos());
            duplicated += receipt.times().get() > 1 ? 1 : 0;
        }
        double perSecond = (referrals - lost) / ((last - start) / 1e9);
        return new Run(name, latencies, deliveries, perSecond, lost, duplicated, createdPerSecond, used, RequestCpu.takeSummary());
    }

    /**
     * Not a target of its own: {@value #PACED_REFERRALS} referrals created steadily at {@value #PACED_RATE} per second
     * (open loop: each on time, whatever the ones before are doing), the partner healthy. The runs above keep the
     * server saturated, so their latency is mostly queueing; this one shows what a referral waits at a load the
     * server carries, which is what a hospital sees in service (the network refers a few patients a day per hospital).
     */
    Run paced(IGenericClient fhir, Parties parties, PartnerSimulator partner) throws Exception {
        partner.receipts().clear();
        Map<String, Sent> created = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> work = new ArrayList<>();
        CpuUse.Start cpu = CpuUse.start();
        long start = System.nanoTime();
        long period = 1_000_000_000L / PACED_RATE;
        for (int i = 0; i < PACED_REFERRALS; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            // Latency counts from when the referral was due, so a client still busy with the one before is no excuse.
            work.add(clients.submit(() -> {
                String task = create(fhir, parties);
                created.put(task, new Sent(due, System.nanoTime()));
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        double createdPerSecond = PACED_REFERRALS / ((System.nanoTime() - start) / 1e9);
        clients.shutdown();
        return collect("paced, " + PACED_RATE + " referrals/s", created, partner, start, PACED_REFERRALS, createdPerSecond, cpu);
    }

    /**
     * Not a target of its own: the same {@value #REFERRALS} creations, addressed to a hospital that has no partner
     * Endpoint, so nothing enters the outbox and nothing is delivered. What the server takes of referrals when the
     * route costs nothing: no delivery, however cheap, can carry more than this.
     */
    String creationAlone(IGenericClient fhir, Parties parties) throws Exception {
        Organization hospital = Network.hospital("1011999998", "ベンチマーク協力病院", "ベンチマーク");
        String withoutEndpoint = fhir.create().resource(hospital).execute().getId().toUnqualifiedVersionless().getValue();
        Parties local = new Parties(parties.requester(), parties.patient(), withoutEndpoint);
        long outboxBefore = outbox.countsByState().values().stream().mapToLong(Number::longValue).sum();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> work = new ArrayList<>();
        RequestCpu.takeSummary(); // the hospital's creation
        CpuUse.Start cpu = CpuUse.start();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            work.add(clients.submit(() -> {
                while (next.getAndIncrement() < REFERRALS) {
                    create(fhir, local);
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        double createdPerSecond = REFERRALS / ((System.nanoTime() - start) / 1e9);
        CpuUse used = cpu.stop();
        clients.shutdown();
        long outboxAfter = outbox.countsByState().values().stream().mapToLong(Number::longValue).sum();
        assertThat(outboxAfter).as("outbox entries for referrals to a hospital without an Endpoint").isEqualTo(outboxBefore);
        return String.format("  [creation alone, no partner to deliver to] created %.1f referrals/s; %s; %.0f ms of JVM CPU,"
                        + " %.0f ms of the machine's per referral%n%s%n    busiest threads: %s", createdPerSecond, used.describe(),
                used.jvmMillisPer(REFERRALS), used.machineSeconds() * 1000 / REFERRALS, RequestCpu.takeSummary(),
                used.busiestThreads(8));
    }

    /** One referral: its ServiceRequest and Task in one transaction, as the requester. Answers {@code Task/<id>}. */
    static String create(IGenericClient fhir, Parties parties) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String request = "urn:uuid:" + java.util.UUID.randomUUID();
        ServiceRequest referral = referral("irud-referral", parties.patient(), parties.requester(), parties.partner());
        transaction.addEntry().setFullUrl(request).setResource(referral).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        Task task = task(request, parties.patient(), parties.requester(), parties.partner());
        transaction.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(task).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        Bundle answer = fhir.transaction().withBundle(transaction)
                .withAdditionalHeader(ActingOrganization.HEADER, parties.requester()).execute();
        String location = answer.getEntry().get(1).getResponse().getLocation();
        return location.substring(0, location.indexOf("/_history")).replaceFirst("^.*/(Task/)", "$1");
    }

    static void print(Run run) {
        System.out.printf("  [%s] created %.1f referrals/s; delivered %.1f referrals/s; latency creation→partner p50 %d ms,"
                        + " p95 %d ms, max %d ms; lost %d, duplicated %d%n"
                        + "    creation answered→partner (the route's part) p50 %d ms, p95 %d ms; %s; %.0f ms of JVM CPU per referral%n",
                run.name(), run.createdPerSecond(), run.perSecond(), percentile(run.latenciesMillis(), 50),
                percentile(run.latenciesMillis(), 95), percentile(run.latenciesMillis(), 100), run.lost(), run.duplicated(),
                percentile(run.deliveryMillis(), 50), percentile(run.deliveryMillis(), 95), run.cpu().describe(),
                run.cpu().jvmMillisPer(run.latenciesMillis().size()));
        System.out.println(run.requestCpu());
        System.out.println("    busiest threads: " + run.cpu().busiestThreads(8));
    }

    /** A request to the server by its part in a referral: the hospital's creation, the route's reads and write. */
    static String kindOfRequest(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (request.getMethod().equals("POST") && path.equals("/fhir")) {
            return request.getHeader(ActingOrganization.HEADER) != null ? "a referral's creation (transaction)"
                    : "the route's reads (batch)";
        }
        if (request.getMethod().equals("PUT") && path.startsWith("/fhir/Task/")) {
            return "the delivery state on the Task (update)";
        }
        return request.getMethod() + " " + path.replaceAll("^(/fhir/[A-Za-z]+)/[^/]+", "$1/{id}");
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
