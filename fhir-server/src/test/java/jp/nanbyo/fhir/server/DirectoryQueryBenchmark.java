package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.interceptor.ForceOffsetSearchModeInterceptor;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import jp.nanbyo.fhir.server.NationalDesignationLists.Row;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Benchmark, not a test (not run by {@code ./mvnw verify}): directory searches at national scale under load,
 * on PostgreSQL. Loads the 47 prefectures' lists ({@link NationalDesignationLists}) through the import route
 * and a service or two per hospital, then runs a fixed mix at {@value #CLIENTS} concurrent clients for a fixed
 * time, twice in one JVM on the same data: the server as shipped, then with every interceptor of ours and
 * validation unregistered (plain HAPI). Plain HAPI has no {@code $find-care}; there, that slot of the mix
 * issues the two searches the operation runs inside. Prints requests/s and p50/p95/p99 per kind and the
 * ratio. Run it with the command in docs/directory.md (section 7).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class DirectoryQueryBenchmark {

    static final int CLIENTS = 16;
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warm-up-seconds", 20));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("benchmark.measure-seconds", 60));
    static final Path DATA_DIR = TestDataDir.fresh("benchmark-directory-data-");
    static final String ROLE = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role|";
    static final String SERVICE_TYPE = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-service-type|";
    static final String[] ROLES = {"hub-hospital", "field-hub-hospital", "cooperating-hospital"};
    static final String[] SERVICES = {"diagnosis", "continuing-care", "respite-admission", "genetic-testing"};

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "false");
        registry.add("nanbyo.database.maximum-pool-size", () -> "20");
    }

    enum Kind { DESIGNATIONS, SERVICES, CARE_FINDER }

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    RestfulServer restfulServer;

    @Autowired
    IInterceptorService storageInterceptors;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void directorySearchesUnderLoad() throws Exception {
        Map<String, List<Row>> lists = NationalDesignationLists.initial();
        long loadStart = System.nanoTime();
        int services = load(lists);
        System.out.printf("%nDirectory query benchmark: %d prefectures, %d designations, %d hospitals, %d services loaded in %.0f s;"
                        + " PostgreSQL; %d clients, warm-up %d s, measure %d s per run; %d cores%n",
                lists.size(), NationalDesignationLists.rowCount(lists), NationalDesignationLists.hospitalCount(lists), services,
                (System.nanoTime() - loadStart) / 1e9, CLIENTS, WARM_UP.toSeconds(), MEASURE.toSeconds(),
                Runtime.getRuntime().availableProcessors());

        Run shipped = run("as shipped", true);
        List<String> turnedOff = unregisterOurInterceptors();
        System.out.println("  plain HAPI: unregistered " + turnedOff);
        Run plain = run("plain HAPI", false);

        double ratio = shipped.perSecond() / plain.perSecond();
        double designationP95 = shipped.percentile(Kind.DESIGNATIONS, 95);
        System.out.printf("  throughput ratio (shipped / plain HAPI): %.2f (target ≥ 0.90: %s); designation search p95 %.1f ms"
                        + " (target ≤ 50 ms: %s)%n%n", ratio, ratio >= 0.9 ? "met" : "NOT met",
                designationP95, designationP95 <= 50 ? "met" : "NOT met");
        assertThat(shipped.errors.get()).as("failed requests (as shipped)").isZero();
        assertThat(plain.errors.get()).as("failed requests (plain HAPI)").isZero();
        assertThat(shipped.count()).isPositive();
    }

    // ---- the data: national lists through the import route, then services

    private int load(Map<String, List<Row>> lists) {
        for (Map.Entry<String, List<Row>> list : lists.entrySet()) {
            ImportReport report = routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT,
                    NationalDesignationLists.csv(list.getValue(), LocalDate.of(2026, 8, 1)),
                    Map.of(DesignationImportRoutes.FILE_NAME, "benchmark-" + list.getKey() + ".csv",
                            DesignationImportRoutes.SOURCE, "benchmark"), ImportReport.class);
            assertThat(report.status()).as(report.messageEn()).isEqualTo(ImportReport.Status.APPLIED);
        }
        var fhir = TestFhirClient.of(port);
        int count = 0;
        for (Map.Entry<String, List<Row>> list : lists.entrySet()) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            List<String> seen = new ArrayList<>();
            for (Row row : list.getValue()) {
                if (seen.contains(row.code())) {
                    continue;
                }
                seen.add(row.code());
                int h = seen.size();
                if (h == 1) {
                    add(transaction, service(row, "diagnosis", list.getKey()));
                    add(transaction, service(row, "genetic-testing", list.getKey()));
                } else {
                    add(transaction, service(row, "continuing-care", list.getKey()));
                }
                if (h <= 4 && h > 1) {
                    add(transaction, service(row, "diagnosis", list.getKey()));
                }
                if (h % 4 == 0) {
                    add(transaction, service(row, "respite-admission", list.getKey()));
                }
            }
            fhir.transaction().withBundle(transaction).execute();
            count += transaction.getEntry().size();
        }
        return count;
    }

    private static void add(Bundle transaction, HealthcareService service) {
        transaction.addEntry().setResource(service).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("HealthcareService");
    }

    private static HealthcareService service(Row row, String type, String prefecture) {
        HealthcareService service = new HealthcareService();
        service.getMeta().addProfile(NanbyoPackage.PROFILE_HEALTHCARE_SERVICE);
        service.addIdentifier().setSystem(NanbyoIdentifierSystems.HEALTHCARE_SERVICE).setValue(row.code() + ":" + type);
        service.setActive(true).setName(row.name() + " " + type);
        service.setProvidedBy(new Reference("Organization?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|" + row.code()));
        service.addType(new CodeableConcept(new Coding().setSystem(SERVICE_TYPE.replace("|", "")).setCode(type)));
        service.addCoverageArea(new Reference("Location?identifier=" + JpCoreSystems.PREFECTURE_NO + "|" + prefecture));
        service.addExtension(NanbyoPackage.EXTENSION_ACCEPTING_REFERRALS, new BooleanType(true));
        service.addExtension(NanbyoPackage.EXTENSION_DELIVERY_METHOD, new CodeType("in-person"));
        return service;
    }

    // ---- the load

    private final class Run {
        final String name;
        final Map<Kind, List<Double>> millis = new EnumMap<>(Kind.class);
        final AtomicInteger errors = new AtomicInteger();
        double seconds;

        Run(String name) {
            this.name = name;
            for (Kind kind : Kind.values()) {
                millis.put(kind, Collections.synchronizedList(new ArrayList<>()));
            }
        }

        int count() {
            return millis.values().stream().mapToInt(List::size).sum();
        }

        double perSecond() {
            return count() / seconds;
        }

        double percentile(Kind kind, int percentile) {
            List<Double> sorted = new ArrayList<>(millis.get(kind));
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        }
    }

    private Run run(String name, boolean careFinderOperation) throws Exception {
        drive(new Run(name + " (warm-up)"), WARM_UP, careFinderOperation);
        Run run = drive(new Run(name), MEASURE, careFinderOperation);
        System.out.printf("  %-12s %7.1f requests/s, %d requests, %d errors%n", name, run.perSecond(), run.count(), run.errors.get());
        for (Kind kind : Kind.values()) {
            System.out.printf("    %-12s %6d   p50 %6.1f ms   p95 %6.1f ms   p99 %6.1f ms%n", kind.name().toLowerCase(),
                    run.millis.get(kind).size(), run.percentile(kind, 50), run.percentile(kind, 95), run.percentile(kind, 99));
        }
        return run;
    }

    /** CLIENTS threads, each sending the fixed mix (seeded) one request after another until the time is up. */
    private Run drive(Run run, Duration duration, boolean careFinderOperation) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random random = new Random(c);
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    int pick = random.nextInt(10);
                    Kind kind = pick < 5 ? Kind.DESIGNATIONS : pick < 8 ? Kind.SERVICES : Kind.CARE_FINDER;
                    String prefecture = "%02d".formatted(1 + random.nextInt(47));
                    LocalDate date = LocalDate.of(2025, 5, 1).plusDays(random.nextInt(690));
                    long t0 = System.nanoTime();
                    boolean ok = switch (kind) {
                        case DESIGNATIONS -> get(designations(prefecture, ROLES[random.nextInt(ROLES.length)], date));
                        case SERVICES -> get(services(prefecture, SERVICES[random.nextInt(SERVICES.length)]));
                        case CARE_FINDER -> careFinderOperation
                                ? get("$find-care?service=" + SERVICES[random.nextInt(SERVICES.length)] + "&disease=" + (1 + random.nextInt(348))
                                        + "&prefecture=" + prefecture + "&date=" + date)
                                // What $find-care reads inside, asked as plain searches.
                                : get(designations(prefecture, null, date)) && get(services(prefecture, SERVICES[random.nextInt(SERVICES.length)]));
                    };
                    run.millis.get(kind).add((System.nanoTime() - t0) / 1e6);
                    if (!ok) {
                        run.errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        run.seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        return run;
    }

    private static String designations(String prefecture, String role, LocalDate date) {
        return "OrganizationAffiliation?primary-organization.identifier=" + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + prefecture
                + (role == null ? "" : "&role=" + ROLE + role) + "&date=ge" + date + "&date=le" + date
                + "&_include=OrganizationAffiliation:participating-organization" + (role == null ? "&_count=200" : "");
    }

    private static String services(String prefecture, String type) {
        return "HealthcareService?coverage-area.identifier=" + JpCoreSystems.PREFECTURE_NO + "|" + prefecture
                + "&service-type=" + SERVICE_TYPE + type + "&active=true&_include=HealthcareService:organization";
    }

    private boolean get(String query) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + query.replace("|", "%7C")))
                    .header("Accept", "application/fhir+json").GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Plain HAPI: every interceptor our capabilities registered on the REST server, and on storage ours and the
     * HAPI one we chose (unstored offset searches), off.
     */
    private List<String> unregisterOurInterceptors() {
        List<String> names = new ArrayList<>();
        for (Object interceptor : List.copyOf(restfulServer.getInterceptorService().getAllRegisteredInterceptors())) {
            restfulServer.getInterceptorService().unregisterInterceptor(interceptor);
            names.add(interceptor.getClass().getSimpleName());
        }
        for (Object interceptor : List.copyOf(storageInterceptors.getAllRegisteredInterceptors())) {
            if (interceptor.getClass().getName().startsWith("jp.nanbyo") || interceptor instanceof ForceOffsetSearchModeInterceptor) {
                storageInterceptors.unregisterInterceptor(interceptor);
                names.add(interceptor.getClass().getSimpleName());
            }
        }
        return names;
    }
}
