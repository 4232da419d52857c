package jp.nanbyo.fhir.server;

import static jp.nanbyo.fhir.server.DesignationImportIT.csv;
import static jp.nanbyo.fhir.server.DesignationImportIT.designationsOn;
import static jp.nanbyo.fhir.server.DesignationImportIT.hospitalNames;
import static jp.nanbyo.fhir.server.DesignationImportIT.row;
import static jp.nanbyo.fhir.server.DesignationImportIT.waitForFile;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.designation.TestListServer;
import jp.nanbyo.fhir.routes.designation.TestListServer.Request;
import jp.nanbyo.fhir.routes.designation.TestSftpServer;
import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Polling of prefectures' servers end to end on PostgreSQL: a real HTTPS server (self-signed
 * certificate made by keytool for this run) and a real read-only SFTP server (Apache MINA SSHD) on
 * loopback, the server's own polling routes configured against them, and the directory checked over
 * FHIR. Every source polls each second; each test watches a source and a prefecture of its own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
@DirtiesContext // its routes would otherwise keep polling while the other tests run
class DesignationRemoteSourcesIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-remote-data-");
    static final Path SFTP_ROOT = TestDataDir.fresh("it-remote-sftp-");
    static final TestListServer WEB = TestListServer.https(TestDataDir.fresh("it-remote-tls-"));
    static final TestSftpServer SFTP = TestSftpServer.start(SFTP_ROOT);
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            WEB.serve("/lists/gunma.csv", DesignationImportIT.example());
            WEB.failThenServe("/lists/toyama.csv", 3, 503, csv(List.of(
                    row("16", "1611111111", "富山第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"))));
            WEB.serve("/lists/fukui.csv", csv(List.of(
                    row("18", "1811111111", "福井第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"))));
            Files.createDirectories(SFTP_ROOT.resolve("lists"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("spring.ssl.bundle.jks.prefecture-ca.truststore.location", () -> "file:" + WEB.trustStore());
        registry.add("spring.ssl.bundle.jks.prefecture-ca.truststore.password", () -> TestListServer.STORE_PASSWORD);
        registry.add("spring.ssl.bundle.jks.prefecture-ca.truststore.type", () -> "PKCS12");
        source(registry, 0, "gunma", WEB.url("/lists/gunma.csv").toString(), "ssl-bundle", "prefecture-ca");
        source(registry, 1, "toyama", WEB.url("/lists/toyama.csv").toString(), "ssl-bundle", "prefecture-ca");
        // No ssl-bundle: the JVM's default trust store does not know the test certificate.
        source(registry, 2, "fukui", WEB.url("/lists/fukui.csv").toString());
        source(registry, 3, "ehime", SFTP.url("/lists"), "password", TestSftpServer.PASSWORD, "host-key", SFTP.hostKey());
    }

    static void source(DynamicPropertyRegistry registry, int index, String id, String url, String... settings) {
        String prefix = "nanbyo.designation-import.remote-sources[" + index + "].";
        registry.add(prefix + "id", () -> id);
        registry.add(prefix + "url", () -> url);
        registry.add(prefix + "poll-interval", () -> "1s");
        for (int i = 0; i < settings.length; i += 2) {
            String value = settings[i + 1];
            registry.add(prefix + settings[i], () -> value);
        }
    }

    /** The servers stop with the context, after its routes: stopped before, they would be retried during the shutdown. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Servers {

        @Bean(destroyMethod = "close")
        TestListServer web() {
            return WEB;
        }

        @Bean(destroyMethod = "close")
        TestSftpServer sftp() {
            return SFTP;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    IGenericClient fhir;

    @BeforeEach
    void client() {
        fhir = TestFhirClient.of(port);
    }

    // ---- HTTPS

    @Test
    void httpsListIsImportedAndAnUnchangedListIsNotFetchedAgain() throws Exception {
        JsonNode report = report(waitForFile(folder("gunma", "done"), "gunma.csv.report.json"));
        assertThat(report.path("status").asText()).isEqualTo("applied");
        assertThat(report.path("source").asText()).isEqualTo("https:gunma");
        assertThat(hospitalNames(designationsOn(fhir, "10", "hub-hospital", "2025-05-01"))).containsExactly("群馬大学医学部附属病院");
        Provenance provenance = fhir.read().resource(Provenance.class).withId(report.path("provenance").asText()).execute();
        assertThat(provenance.getEntityFirstRep().getWhat().getDisplay()).isEqualTo("gunma.csv (https:gunma)");
        assertThat(files(folder("gunma", "done"))).as("a copy of the list beside its report").singleElement()
                .satisfies(copy -> {
                    assertThat(copy.getFileName().toString()).endsWith("-gunma.csv");
                    assertThat(copy).hasBinaryContent(DesignationImportIT.example());
                });

        int seen = WEB.requests("/lists/gunma.csv").size();
        waitUntil(() -> WEB.requests("/lists/gunma.csv").size() >= seen + 2, "two more polls");
        assertThat(WEB.requests("/lists/gunma.csv").subList(seen, seen + 2)).allSatisfy(request -> {
            assertThat(request.ifNoneMatch()).as("conditional GET").isNotNull();
            assertThat(request.status()).isEqualTo(304);
        });
        assertThat(reports(folder("gunma", "done"))).as("nothing imported again").hasSize(1);
        assertThat(folder("gunma", "error")).doesNotExist();
    }

    @Test
    void httpsListIsImportedOnceTheServerRecoversFromA503() throws Exception {
        JsonNode report = report(waitForFile(folder("toyama", "done"), "toyama.csv.report.json"));
        assertThat(report.path("status").asText()).isEqualTo("applied");
        assertThat(hospitalNames(designationsOn(fhir, "16", "cooperating-hospital", "2026-09-01"))).containsExactly("富山第一病院");

        List<Request> requests = WEB.requests("/lists/toyama.csv");
        assertThat(requests).extracting(Request::status).startsWith(503, 503, 503, 200);
        // Retried after 1, 2 and 4 s (back-off), not at the 1 s poll interval.
        assertThat(Duration.between(requests.get(2).at(), requests.get(3).at())).isGreaterThan(Duration.ofMillis(3500));
        assertThat(folder("toyama", "error")).doesNotExist();
    }

    @Test
    void untrustedCertificateImportsNothingAndIsReportedOnce() throws Exception {
        JsonNode report = report(waitForFile(folder("fukui", "error"), "fukui.csv.report.json"));
        assertThat(report.path("status").asText()).isEqualTo("failed");
        assertThat(report.path("messageEn").asText()).contains("certificate is not trusted", "ssl-bundle");
        assertThat(report.path("messageJa").asText()).contains("TLS");
        assertThat(report.path("failure").asText()).contains("SSLHandshakeException");

        Thread.sleep(2500); // two more polls, refused the same way
        assertThat(reports(folder("fukui", "error"))).as("the same refusal filed once").hasSize(1);
        assertThat(folder("fukui", "done")).doesNotExist();
        assertThat(WEB.requests("/lists/fukui.csv")).as("no request got past TLS").isEmpty();
        assertThat(designationsOn(fhir, "18", "cooperating-hospital", "2026-09-01").getEntry()).isEmpty();
        assertThat(camel.getRouteController().getRouteStatus("designation-import-source-fukui").isStarted())
                .as("the route keeps polling").isTrue();
    }

    // ---- SFTP

    @Test
    void sftpListsAreImportedOnceEachAndABadOneIsFiledWithItsReport() throws Exception {
        Path lists = SFTP_ROOT.resolve("lists");
        Files.write(lists.resolve("ehime.csv"), csv(List.of(
                row("38", "3811111111", "愛媛第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"))));
        JsonNode first = report(waitForFile(folder("ehime", "done"), "ehime.csv.report.json"));
        assertThat(first.path("status").asText()).isEqualTo("applied");
        assertThat(first.path("source").asText()).isEqualTo("sftp:ehime");
        assertThat(hospitalNames(designationsOn(fhir, "38", "cooperating-hospital", "2026-09-01"))).containsExactly("愛媛第一病院");

        int listings = SFTP.listings();
        waitUntil(() -> SFTP.listings() >= listings + 2, "two more polls");
        assertThat(SFTP.downloads("ehime.csv")).as("the same file is not taken again").isEqualTo(1);
        assertThat(reports(folder("ehime", "done"))).hasSize(1);

        Files.write(lists.resolve("ehime.csv"), csv(List.of(
                row("38", "3811111111", "愛媛第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"),
                row("38", "3812222222", "愛媛第二病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"))));
        waitUntil(() -> reports(folder("ehime", "done")).size() == 2, "the changed list imported");
        assertThat(hospitalNames(designationsOn(fhir, "38", "cooperating-hospital", "2026-09-01")))
                .containsExactlyInAnyOrder("愛媛第一病院", "愛媛第二病院");

        Files.write(lists.resolve("broken.csv"), "都道府県コード\n38\n".getBytes(StandardCharsets.UTF_8));
        JsonNode rejected = report(waitForFile(folder("ehime", "error"), "broken.csv.report.json"));
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("problems")).isNotEmpty();
        assertThat(files(folder("ehime", "error"))).anySatisfy(copy -> assertThat(copy.toString()).endsWith("-broken.csv"));

        assertThat(SFTP.refusedWrites()).as("nothing written on the prefecture's server").isEmpty();
    }

    // ---- helpers

    static Path folder(String source, String folder) {
        return DATA_DIR.resolve("import/designations").resolve(source).resolve(folder);
    }

    static JsonNode report(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> !file.getFileName().toString().endsWith(".report.json")).toList();
        }
    }

    static List<Path> reports(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".report.json")).toList();
        }
    }

    static void waitUntil(Eventually.Check check, String what) throws Exception {
        Eventually.waitUntil(Duration.ofSeconds(60), what, check);
    }
}
