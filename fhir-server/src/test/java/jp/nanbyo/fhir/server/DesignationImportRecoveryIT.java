package jp.nanbyo.fhir.server;

import static jp.nanbyo.fhir.server.DesignationImportIT.csv;
import static jp.nanbyo.fhir.server.DesignationImportIT.row;
import static jp.nanbyo.fhir.server.DesignationImportIT.waitForFile;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The designation import when things fail, on PostgreSQL: the FHIR server unreachable then back,
 * and the import process killed (SIGKILL) mid-import, before and after the server committed, then
 * started again. The import routes run as a child JVM of their own ({@link RoutesOnlyApplication})
 * with a watched folder, talking to the server through a {@link LoopbackProxy} that plays the
 * network. In every case the file is imported exactly once and never lost.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class DesignationImportRecoveryIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-recovery-server-");
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "false");
    }

    @LocalServerPort
    int port;

    IGenericClient fhir;
    LoopbackProxy proxy;
    final List<Process> routes = new ArrayList<>();

    @BeforeEach
    void start() {
        fhir = TestFhirClient.of(port);
        proxy = new LoopbackProxy(port);
    }

    @AfterEach
    void stop() throws IOException {
        routes.forEach(Process::destroyForcibly);
        proxy.close();
    }

    @Test
    void theServerUnreachableThenBackTheFileWaitsAndIsImportedOnce() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        startRoutes(dataDir);
        Path folder = dataDir.resolve("import/designations");
        Files.write(folder.resolve("shizuoka.csv"), list("22"));

        awaitLog(dataDir.resolve("routes-0.log"), "On delivery attempt: 2 caught: jp.nanbyo.fhir.routes.designation.DirectoryUnavailableException");
        assertThat(folder.resolve("shizuoka.csv")).as("the file waits for the server").exists();
        assertThat(folder.resolve("error")).as("an unreachable server is no error of the file").doesNotExist();
        assertThat(designations("22")).isEmpty();

        proxy.up();
        Path report = waitForFile(folder.resolve("done"), "shizuoka.csv.report.json");
        assertThat(Files.readString(report)).contains("\"status\" : \"applied\"");
        assertThat(designations("22")).hasSize(3);
        assertThat(imports("22")).hasSize(1);
    }

    @Test
    void theServerUnreachableLongerThanTheRetriesTheFileIsTakenAgainAtALaterPoll() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        startRoutes(dataDir, "--nanbyo.designation-import.retry-delay=100");
        Path folder = dataDir.resolve("import/designations");
        Files.write(folder.resolve("gifu.csv"), list("21"));

        awaitLog(dataDir.resolve("routes-0.log"), "Exhausted after delivery attempt: 6 caught: jp.nanbyo.fhir.routes.designation.DirectoryUnavailableException");
        assertThat(folder.resolve("gifu.csv")).as("retries exhausted, the file stays").exists();
        assertThat(folder.resolve("error")).doesNotExist();

        proxy.up();
        Path report = waitForFile(folder.resolve("done"), "gifu.csv.report.json");
        assertThat(Files.readString(report)).contains("\"status\" : \"applied\"");
        assertThat(designations("21")).hasSize(3);
        assertThat(imports("21")).hasSize(1);
    }

    @Test
    void killedAfterTheServerCommittedTheRestartFindsItImported() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        Path folder = killMidImport(dataDir, LoopbackProxy.Hold.RESPONSE, "aichi.csv", "23");
        assertThat(designations("23")).as("the server committed the import").hasSize(3);
        assertThat(folder.resolve("aichi.csv")).as("the killed process had not filed the file away").exists();

        proxy.up();
        startRoutes(dataDir);
        Path report = waitForFile(folder.resolve("done"), "aichi.csv.report.json");
        assertThat(Files.readString(report)).contains("\"status\" : \"already-imported\"");
        assertThat(designations("23")).as("nothing twice").hasSize(3);
        assertThat(imports("23")).hasSize(1);
    }

    @Test
    void killedBeforeTheServerGotTheTransactionTheRestartImportsIt() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        Path folder = killMidImport(dataDir, LoopbackProxy.Hold.REQUEST, "mie.csv", "24");
        assertThat(designations("24")).as("nothing half-applied").isEmpty();
        assertThat(imports("24")).isEmpty();

        proxy.up();
        startRoutes(dataDir);
        Path report = waitForFile(folder.resolve("done"), "mie.csv.report.json");
        assertThat(Files.readString(report)).contains("\"status\" : \"applied\"");
        assertThat(designations("24")).hasSize(3);
        assertThat(imports("24")).hasSize(1);
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left.filter(Files::isRegularFile)).as("no file or lock left behind").isEmpty();
        }
    }

    @Test
    void theAnswerLostAfterTheServerCommittedTheRetryReportsTheImportApplied() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        proxy.up();
        proxy.hold(LoopbackProxy.Hold.RESPONSE);
        startRoutes(dataDir);
        Path folder = dataDir.resolve("import/designations");
        Files.write(folder.resolve("nagano.csv"), list("20"));
        assertThat(proxy.awaitHeld(90)).as("the server's answer held").isTrue();
        proxy.cut();

        JsonNode report = JSON.readTree(waitForFile(folder.resolve("done"), "nagano.csv.report.json").toFile());
        assertThat(report.path("status").asText()).isEqualTo("applied");
        assertThat(report.path("messageEn").asText()).contains("answer was lost");
        assertThat(report.path("counts").path("created").asInt())
                .as("the changes the lost transaction made: each hospital, its site and its designation")
                .isGreaterThanOrEqualTo(9).isEqualTo(report.path("changes").size());
        assertThat(report.path("provenance").asText()).isEqualTo(imports("20").get(0).getIdElement().toUnqualifiedVersionless().getValue());
        assertThat(designations("20")).hasSize(3);
        assertThat(imports("20")).as("sent once: no second Provenance").hasSize(1);
    }

    @Test
    void theAnswerLostBeforeTheServerGotTheTransactionTheFileIsSentAgainOnceTheAnswerTimeoutHasPassed() throws Exception {
        Path dataDir = TestDataDir.fresh("it-recovery-routes-");
        proxy.up();
        proxy.hold(LoopbackProxy.Hold.REQUEST);
        startRoutes(dataDir, "--nanbyo.designation-import.answer-timeout=5s");
        Path folder = dataDir.resolve("import/designations");
        Files.write(folder.resolve("yamanashi.csv"), list("19"));
        assertThat(proxy.awaitHeld(90)).as("the transaction held on its way").isTrue();
        proxy.cut();

        awaitLog(dataDir.resolve("routes-0.log"), "Not known yet whether the import applied");
        assertThat(imports("19")).as("not sent again while the first may still land").isEmpty();
        JsonNode report = JSON.readTree(waitForFile(folder.resolve("done"), "yamanashi.csv.report.json").toFile());
        assertThat(report.path("status").asText()).isEqualTo("applied");
        assertThat(report.path("messageEn").asText()).isEqualTo("Imported.");
        assertThat(report.path("counts").path("created").asInt()).isGreaterThanOrEqualTo(9);
        assertThat(designations("19")).hasSize(3);
        assertThat(imports("19")).hasSize(1);
    }

    // ---- helpers

    /** A prefecture's list: a hub and two cooperating hospitals. */
    static byte[] list(String prefecture) {
        return csv(List.of(
                row(prefecture, prefecture + "11111111", "回復試験第一病院", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", "2026-09-01"),
                row(prefecture, prefecture + "12222222", "回復試験第二病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "2026-09-01"),
                row(prefecture, prefecture + "13333333", "回復試験第三病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "2026-09-01")));
    }

    /**
     * Starts the routes, drops the prefecture's list into their folder, and kills them (SIGKILL) while
     * the proxy holds the import's transaction as asked; the proxy then goes down, cutting what it held.
     * Answers the watched folder.
     */
    Path killMidImport(Path dataDir, LoopbackProxy.Hold hold, String fileName, String prefecture) throws Exception {
        proxy.up();
        proxy.hold(hold);
        Process routes = startRoutes(dataDir);
        Path folder = dataDir.resolve("import/designations");
        Files.write(folder.resolve(fileName), list(prefecture));

        assertThat(proxy.awaitHeld(90)).as("the transaction held on its way (" + hold + ")").isTrue();
        kill(routes);
        proxy.down();
        return folder;
    }

    /** Starts the import routes as a child JVM watching {@code dataDir}, talking to the server through the proxy. */
    Process startRoutes(Path dataDir, String... settings) throws IOException {
        Files.createDirectories(dataDir.resolve("import/designations"));
        List<String> command = ChildJvm.command("256m", RoutesOnlyApplication.class);
        command.addAll(List.of(
                "--nanbyo.data-dir=" + dataDir,
                "--nanbyo.designation-import.fhir-base-url=http://127.0.0.1:" + proxy.port() + "/fhir",
                "--nanbyo.designation-import.folder-poll-delay=500"));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command);
        File log = dataDir.resolve("routes-" + routes.size() + ".log").toFile();
        Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
        routes.add(process);
        return process;
    }

    /** Waits until the routes' log says what is expected (how the test knows the routes have tried and failed). */
    static void awaitLog(Path log, String expected) throws Exception {
        Eventually.waitUntil(Duration.ofSeconds(90), "the routes log \"" + expected + "\"; see " + log,
                () -> Files.exists(log) && Files.readString(log).contains(expected));
    }

    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    List<OrganizationAffiliation> designations(String prefecture) {
        Bundle found = fhir.search().byUrl("OrganizationAffiliation?primary-organization.identifier="
                        + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + prefecture + "&_count=100")
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (OrganizationAffiliation) e.getResource()).toList();
    }

    /** The import Provenances the prefecture's government authored. */
    List<Provenance> imports(String prefecture) {
        Bundle found = fhir.search().byUrl("Provenance?agent:Organization.identifier="
                        + NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE + "|" + localGovernmentCode(prefecture) + "&_count=100")
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (Provenance) e.getResource()).toList();
    }

    /** 全国地方公共団体コード of the prefectures these tests use (terminology/src/main/csv/prefectures.csv). */
    static String localGovernmentCode(String prefecture) {
        return Map.of("19", "190004", "20", "200000", "21", "210005", "22", "220001", "23", "230006", "24", "240001")
                .get(prefecture);
    }
}
