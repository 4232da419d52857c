package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import jp.nanbyo.fhir.server.NationalDesignationLists.Row;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Benchmark, not a test (not run by {@code ./mvnw verify}): the designation import at national
 * scale, on PostgreSQL, with validation on, through the import route as the folder and the upload
 * use it. Generates 47 prefectures' lists ({@link NationalDesignationLists}), imports them into an
 * empty directory, re-imports the very same files, re-imports the same content as of a later date,
 * imports lists with 5 % of their rows changed, then lists naming new hospitals only (as much to create as the
 * first import, on a warm server); prints wall time and resources/s for each, and the CPU each used ({@link CpuUse}).
 * Run it with the command in docs/integration/designation-import.md.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class DesignationImportBenchmark {

    /** Prefecture lists imported at once (prefectures send their lists independently). */
    static final int THREADS = Integer.getInteger("benchmark.import-threads", 2);
    static final Path DATA_DIR = TestDataDir.fresh("benchmark-import-data-");
    static final LocalDate REPLACED_ON = LocalDate.of(2026, 11, 1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "false");
    }

    @Autowired
    ProducerTemplate routes;

    @Test
    void nationalDesignationImport() throws Exception {
        Map<String, List<Row>> initial = NationalDesignationLists.initial();
        Map<String, List<Row>> changed = NationalDesignationLists.withFivePercentChanged(initial);
        System.out.printf("%nDesignation import benchmark: %d prefecture lists, %d designations, %d hospitals;"
                        + " PostgreSQL, validation on, %d list(s) at a time, %d cores, %s%n",
                initial.size(), NationalDesignationLists.rowCount(initial), NationalDesignationLists.hospitalCount(initial),
                THREADS, Runtime.getRuntime().availableProcessors(), CpuUse.jvmFlags());

        Phase first = run("first import", initial, LocalDate.of(2026, 8, 1), ImportReport.Status.APPLIED);
        Phase same = run("same files again", initial, LocalDate.of(2026, 8, 1), ImportReport.Status.ALREADY_IMPORTED);
        Phase unchanged = run("unchanged, later 基準日", initial, LocalDate.of(2026, 9, 1), ImportReport.Status.UNCHANGED);
        Phase fivePercent = run("5 % changed", changed, LocalDate.of(2026, 10, 1), ImportReport.Status.APPLIED);
        Phase replaced = run("every hospital replaced", NationalDesignationLists.withEveryHospitalReplaced(initial),
                REPLACED_ON, ImportReport.Status.APPLIED);
        System.out.printf("  targets: first import ≤ 30 s (%s), unchanged re-import ≤ 5 s (%s; same files %s), 5 %% change ≤ 10 s (%s)%n%n",
                verdict(first, 30), verdict(unchanged, 5), verdict(same, 5), verdict(fivePercent, 10));

        // Created: every hospital, its site and each designation, plus each prefecture's frame (government, network, areas).
        assertThat(first.created).isGreaterThanOrEqualTo(47 * 3 + 2 * (int) NationalDesignationLists.hospitalCount(initial)
                + NationalDesignationLists.rowCount(initial));
        assertThat(unchanged.created + unchanged.updated + unchanged.ended).isZero();
        assertThat(fivePercent.updated + fivePercent.ended + fivePercent.created).isPositive();
        // New hospitals with their sites and designations; every earlier designation still in force on the new 基準日 ended.
        assertThat(replaced.created).isEqualTo(2 * (int) NationalDesignationLists.hospitalCount(initial)
                + NationalDesignationLists.rowCount(initial));
        assertThat(replaced.ended).isEqualTo((int) changed.values().stream().flatMap(List::stream)
                .filter(row -> !LocalDate.parse(row.end()).isBefore(REPLACED_ON)).count());
    }

    private record Phase(String name, double seconds, int created, int updated, int ended, int unchanged) {
    }

    private Phase run(String name, Map<String, List<Row>> lists, LocalDate referenceDate, ImportReport.Status expected)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CpuUse.Start cpu = CpuUse.start();
        long start = System.nanoTime();
        List<Future<ImportReport>> reports = new ArrayList<>();
        for (Map.Entry<String, List<Row>> list : lists.entrySet()) {
            byte[] file = NationalDesignationLists.csv(list.getValue(), referenceDate);
            String fileName = "benchmark-" + list.getKey() + "-" + referenceDate + ".csv";
            reports.add(pool.submit(() -> routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, file, Map.of(
                    DesignationImportRoutes.FILE_NAME, fileName,
                    DesignationImportRoutes.SOURCE, "benchmark"), ImportReport.class)));
        }
        int created = 0;
        int updated = 0;
        int ended = 0;
        int unchanged = 0;
        for (Future<ImportReport> future : reports) {
            ImportReport report = future.get();
            assertThat(report.status()).as(report.fileName() + ": " + report.messageEn() + " " + report.problems()).isEqualTo(expected);
            created += report.counts().created();
            updated += report.counts().updated();
            ended += report.counts().ended();
            unchanged += report.counts().unchanged();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuUse used = cpu.stop();
        pool.shutdown();
        int written = created + updated + ended;
        System.out.printf("  %-24s %6.1f s   %5d created, %4d updated, %4d ended, %5d unchanged   %6.1f resources written/s,"
                        + " %6.1f resources compared/s%n",
                name, seconds, created, updated, ended, unchanged, written / seconds, (written + unchanged) / seconds);
        System.out.printf("  %-24s %s; %.1f ms of JVM CPU per resource compared%n", "", used.describe(),
                used.jvmMillisPer(written + unchanged));
        return new Phase(name, seconds, created, updated, ended, unchanged);
    }

    private static String verdict(Phase phase, double targetSeconds) {
        return String.format("%.1f s, %s", phase.seconds, phase.seconds <= targetSeconds ? "met" : "NOT met");
    }
}
