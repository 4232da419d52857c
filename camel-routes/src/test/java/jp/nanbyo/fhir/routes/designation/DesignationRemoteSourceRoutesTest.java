package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.designation.DesignationRemoteSourceRoutes.Retries;
import jp.nanbyo.fhir.routes.designation.RemoteSourcesProperties.RemoteSource;
import jp.nanbyo.fhir.routes.designation.TestListServer.Request;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * The polling routes against real HTTP and SFTP servers on loopback, with the import scripted:
 * what happens when our FHIR server is unavailable, after a restart, and on a refusal. The happy
 * paths against the real import are in fhir-server's DesignationRemoteSourcesIT.
 */
class DesignationRemoteSourceRoutesTest {

    /** One quick retry, so that a lasting fault reaches the next poll within a second. */
    static final Retries QUICK = new Retries(1, Duration.ofMillis(100));

    @TempDir
    Path dataDir;

    @TempDir
    Path served;

    final ScriptedImport imports = new ScriptedImport();
    CamelContext camel;

    @AfterEach
    void stopCamel() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @Test
    void noSourceConfiguredAddsNoRoute() throws Exception {
        start();
        assertThat(camel.getRoutes()).isEmpty();
    }

    @Test
    void anSslBundleThatIsNotConfiguredStopsTheStart() {
        RemoteSource source = new RemoteSource("kochi", URI.create("https://127.0.0.1:1/kochi.csv"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), "prefecture-ca", null, null, null, null, null);

        assertThatThrownBy(() -> start(source)).hasStackTraceContaining("ssl-bundle prefecture-ca is not configured");
    }

    // ---- SFTP

    @Test
    void sftpListIsTakenAgainAfterOurServerWasUnavailable() throws Exception {
        try (TestSftpServer sftp = TestSftpServer.start(served)) {
            write("lists/ehime.csv", "list 1");
            imports.unavailable(2); // the first attempt and its one retry
            start(sftpSource(sftp));

            waitFor(() -> reports("ehime", "done") == 1, "ehime.csv filed in done/");

            assertThat(imports.calls).containsExactly("ehime.csv from sftp:ehime", "ehime.csv from sftp:ehime",
                    "ehime.csv from sftp:ehime");
            assertThat(sftp.downloads("ehime.csv")).as("taken again at a later poll").isEqualTo(2);
            assertThat(dataDir.resolve("import/designations/ehime/processed-files.txt")).content().contains("ehime.csv-");
            assertThat(dataDir.resolve("import/designations/ehime/error")).doesNotExist();
            assertThat(sftp.refusedWrites()).as("read only").isEmpty();
        }
    }

    @Test
    void sftpRemembersWhatItTookAcrossARestartAndTakesAChangedFile() throws Exception {
        try (TestSftpServer sftp = TestSftpServer.start(served)) {
            write("lists/ehime.csv", "list 1");
            start(sftpSource(sftp));
            waitFor(() -> reports("ehime", "done") == 1, "ehime.csv filed in done/");
            camel.close();

            start(sftpSource(sftp));
            int listings = sftp.listings();
            waitFor(() -> sftp.listings() >= listings + 2, "two polls after the restart");
            assertThat(imports.calls).hasSize(1);
            assertThat(sftp.downloads("ehime.csv")).isEqualTo(1);

            write("lists/ehime.csv", "list 2, changed");
            waitFor(() -> reports("ehime", "done") == 2, "the changed ehime.csv filed in done/");
            assertThat(imports.calls).hasSize(2);
            assertThat(sftp.refusedWrites()).isEmpty();
        }
    }

    @Test
    void sftpListOverTheSizeLimitIsRefusedUnreadAndOnlyOnce() throws Exception {
        try (TestSftpServer sftp = TestSftpServer.start(served)) {
            int limit = (int) imports.maximumFileSize();
            Files.createDirectories(served.resolve("lists"));
            Files.write(served.resolve("lists/ehime.csv"), new byte[40 * limit]);
            start(sftpSource(sftp));

            waitFor(() -> reports("ehime", "error") == 1, "the refusal's report in error/");
            int listings = sftp.listings();
            waitFor(() -> sftp.listings() >= listings + 2, "two more polls");

            assertThat(imports.calls).as("never sent to the import").isEmpty();
            assertThat(reports("ehime", "error")).as("refused once, not at every poll").isEqualTo(1);
            try (Stream<Path> reports = reportsIn("ehime", "error")) {
                assertThat(reports.findFirst().orElseThrow()).content()
                        .contains("\"status\" : \"rejected\"").contains("40 MB、上限 1 MB").contains("too large (40 MB; the limit is 1 MB)").contains("too large");
            }
            assertThat(sftp.bytesServed("ehime.csv")).as("bytes of the 40 MB file read").isZero();
        }
    }

    @Test
    void sftpListOfExactlyTheSizeLimitIsImportedWhole() throws Exception {
        try (TestSftpServer sftp = TestSftpServer.start(served)) {
            int limit = (int) imports.maximumFileSize();
            Files.createDirectories(served.resolve("lists"));
            Files.write(served.resolve("lists/ehime.csv"), new byte[limit]);
            start(sftpSource(sftp));

            waitFor(() -> reports("ehime", "done") == 1, "ehime.csv filed in done/");

            assertThat(imports.sizes).containsExactly(limit);
            assertThat(sftp.bytesServed("ehime.csv")).isEqualTo(limit);
        }
    }

    @Test
    void sftpServerDownIsRetriedWithBackOffAndPolledAgain() throws Exception {
        ListAppender<ILoggingEvent> log = capture(BackOffPollStrategy.class);
        try (TestSftpServer sftp = TestSftpServer.start(served)) {
            write("lists/ehime.csv", "list 1");
            sftp.stop();
            start(sftpSource(sftp));
            waitFor(() -> log.list.stream().anyMatch(event -> event.getFormattedMessage().contains("retry 1 of 1")),
                    "a retry of the failed poll");

            sftp.restart();
            waitFor(() -> reports("ehime", "done") == 1, "ehime.csv filed once the server is back");
            assertThat(imports.calls).hasSize(1);
        }
    }

    @Test
    void sftpRefusesAServerWhoseHostKeyIsNotThePinnedOne() throws Exception {
        ListAppender<ILoggingEvent> log = capture(BackOffPollStrategy.class);
        try (TestSftpServer sftp = TestSftpServer.start(served); TestSftpServer other = TestSftpServer.start(served)) {
            write("lists/ehime.csv", "list 1");
            RemoteSource pinnedToAnother = sftpSource(sftp);
            start(new RemoteSource(pinnedToAnother.id(), pinnedToAnother.url(), pinnedToAnother.pollInterval(),
                    pinnedToAnother.connectTimeout(), pinnedToAnother.readTimeout(), null, TestSftpServer.PASSWORD,
                    null, null, null, other.hostKey()));

            waitFor(() -> log.list.stream().anyMatch(event -> event.getFormattedMessage().contains("HostKey")),
                    "the connection refused for its host key");
            assertThat(sftp.downloads("ehime.csv")).isZero();
            assertThat(imports.calls).isEmpty();
        }
    }

    // ---- HTTP

    @Test
    void httpListIsFetchedAgainAfterOurServerWasUnavailable() throws Exception {
        try (TestListServer web = TestListServer.http()) {
            web.serve("/kochi.csv", bytes("list 1"));
            imports.unavailable(2);
            start(httpSource(web, "/kochi.csv"));

            waitFor(() -> reports("kochi", "done") == 1, "kochi.csv filed in done/");
            waitFor(() -> web.requests("/kochi.csv").size() >= 3, "a poll after the import");

            List<Request> requests = web.requests("/kochi.csv");
            assertThat(requests.get(0).status()).isEqualTo(200);
            assertThat(requests.get(1).ifNoneMatch()).as("not remembered while our server was down").isNull();
            assertThat(requests.get(1).status()).isEqualTo(200);
            assertThat(requests.get(2).ifNoneMatch()).as("remembered once imported").isNotNull();
            assertThat(requests.get(2).status()).isEqualTo(304);
            assertThat(imports.calls).hasSize(3).allMatch(call -> call.equals("kochi.csv from http:kochi"));
        }
    }

    @Test
    void httpClientErrorIsFiledOnceAndTriedAgainOnlyAtTheNextPoll() throws Exception {
        try (TestListServer web = TestListServer.http()) {
            web.answer("/missing.csv", 404);
            start(httpSource(web, "/missing.csv"));

            waitFor(() -> web.requests("/missing.csv").size() >= 3, "three polls");

            List<Request> requests = web.requests("/missing.csv");
            for (int i = 1; i < requests.size(); i++) {
                assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
                        .as("no quick retry of a 404").isGreaterThan(Duration.ofMillis(800));
            }
            assertThat(reports("kochi", "error")).as("the same refusal filed once").isEqualTo(1);
            assertThat(reportsIn("kochi", "error").findFirst().orElseThrow()).content()
                    .contains("\"status\" : \"failed\"", "HTTP 404", "missing.csv");
            assertThat(imports.calls).isEmpty();
        }
    }

    @Test
    void httpSameBytesAreNotImportedAgainAlsoAfterARestart() throws Exception {
        try (TestListServer web = TestListServer.http()) {
            web.serveWithoutValidators("/kochi.csv", bytes("list 1"));
            start(httpSource(web, "/kochi.csv"));
            waitFor(() -> reports("kochi", "done") == 1, "kochi.csv filed in done/");
            camel.close();

            int requests = web.requests("/kochi.csv").size();
            start(httpSource(web, "/kochi.csv"));
            waitFor(() -> web.requests("/kochi.csv").size() >= requests + 2, "two polls after the restart");

            assertThat(imports.calls).hasSize(1);
            assertThat(reports("kochi", "done")).isEqualTo(1);
        }
    }

    @Test
    void httpListIsNotFetchedWhileItCouldNotBeFiledAndFetchedOnceItCan() throws Exception {
        try (TestListServer web = TestListServer.http()) {
            web.serve("/kochi.csv", bytes("list 1"));
            Path source = Files.createDirectories(dataDir.resolve("import/designations/kochi"));
            Files.writeString(source.resolve("done"), "a file where the done/ folder should be");
            ListAppender<ILoggingEvent> log = capture(FilingFolders.class);
            start(httpSource(web, "/kochi.csv"));

            // Three polls. Before, the list was fetched and applied, then filed in error/ as failed: done/ could not be made.
            Thread.sleep(3_500);
            assertThat(web.requests("/kochi.csv")).as("not fetched while done/ is a file").isEmpty();
            assertThat(imports.calls).isEmpty();
            assertThat(reports("kochi", "error")).isZero();
            assertThat(log.list).as("logged once, not at every poll").hasSize(1)
                    .allSatisfy(event -> assertThat(event.getFormattedMessage())
                            .contains("Lists from http:kochi are not fetched", "done is a file, not a folder"));

            Files.delete(source.resolve("done"));
            waitFor(() -> reports("kochi", "done") == 1, "kochi.csv filed in done/ once it can be");
            assertThat(imports.calls).containsExactly("kochi.csv from http:kochi");
        }
    }

    // ---- helpers

    void start(RemoteSource... sources) throws Exception {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("nanbyo.data-dir", dataDir.toString());
        camel.addRoutes(new DesignationRemoteSourceRoutes(imports, new RemoteSourcesProperties(List.of(sources)), null, QUICK));
        camel.start();
    }

    static RemoteSource sftpSource(TestSftpServer sftp) {
        return new RemoteSource("ehime", URI.create(sftp.url("/lists")), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), null, TestSftpServer.PASSWORD, null, null, null, sftp.hostKey());
    }

    static RemoteSource httpSource(TestListServer web, String path) {
        return new RemoteSource("kochi", web.url(path), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), null, null, null, null, null, null);
    }

    Path write(String path, String content) throws IOException {
        Path file = served.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    static byte[] bytes(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    long reports(String source, String folder) throws IOException {
        try (Stream<Path> reports = reportsIn(source, folder)) {
            return reports.count();
        }
    }

    Stream<Path> reportsIn(String source, String folder) throws IOException {
        Path directory = dataDir.resolve("import/designations").resolve(source).resolve(folder);
        if (!Files.isDirectory(directory)) {
            return Stream.empty();
        }
        return Files.list(directory).filter(file -> file.getFileName().toString().endsWith(".report.json"));
    }

    static void waitFor(Eventually.Check check, String what) throws Exception {
        Eventually.waitUntil(Duration.ofSeconds(30), what, check);
    }

    static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(type);
        logger.setLevel(Level.WARN);
        logger.addAppender(appender);
        return appender;
    }

    /**
     * The import, scripted: our FHIR server unavailable for the first n calls, then every list applied. Its size limit
     * is 1 MB, so that a test can go over it cheaply.
     */
    static final class ScriptedImport extends DesignationImportService {

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        private final AtomicInteger unavailable = new AtomicInteger();

        ScriptedImport() {
            super(new StandardEnvironment(), new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class),
                    DataSize.ofMegabytes(1), DesignationListReader.DEFAULT_MAXIMUM_ROWS, Duration.ofMinutes(5));
        }

        void unavailable(int calls) {
            unavailable.set(calls);
        }

        @Override
        public ImportReport importFile(String fileName, byte[] content, String source, boolean dryRun)
                throws DirectoryUnavailableException {
            calls.add(fileName + " from " + source);
            sizes.add(content.length);
            if (unavailable.getAndDecrement() > 0) {
                throw new DirectoryUnavailableException("the FHIR server is down", null);
            }
            return new ImportReport(ImportReport.Status.APPLIED, "取り込みました。", "Imported.", fileName, source,
                    DesignationImporter.sha256(content), "38", LocalDate.of(2026, 9, 1), 1, ImportReport.Counts.NONE,
                    List.of(), List.of(), "Provenance/1", 1);
        }
    }
}
