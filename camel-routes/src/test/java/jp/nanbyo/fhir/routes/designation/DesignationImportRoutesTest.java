package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.Eventually;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * The watched folder with the real import, for files that are refused before the FHIR server is asked (no server
 * runs here). What an imported file does end to end is in fhir-server's DesignationImportIT.
 */
class DesignationImportRoutesTest {

    @TempDir
    Path dataDir;

    CamelContext camel;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("metrics", metrics);
        DesignationImportService service = new DesignationImportService(new StandardEnvironment(),
                beans.getBeanProvider(MeterRegistry.class), DataSize.ofMegabytes(1),
                DesignationListReader.DEFAULT_MAXIMUM_ROWS, Duration.ofMinutes(5));
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("nanbyo.data-dir", dataDir.toString());
        camel.getPropertiesComponent().addInitialProperty("nanbyo.designation-import.folder-poll-delay", "200");
        camel.addRoutes(new DesignationImportRoutes(service));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void anEmptyFileIsFiledUnderErrorWithItsReport() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("import/designations"));
        Files.createFile(folder.resolve("empty.csv"));

        // Camel's changed read lock waited for content that never came, 10 s at every poll: never filed, never reported.
        Eventually.waitUntil(Duration.ofSeconds(8), "empty.csv filed under error/", () -> filed(folder, "error").size() == 2);
        assertThat(filed(folder, "error")).anySatisfy(name -> assertThat(name).endsWith("-empty.csv"));
        Path report = folder.resolve("error").resolve(filed(folder, "error").stream()
                .filter(name -> name.endsWith("-empty.csv.report.json")).findFirst().orElseThrow());
        assertThat(Files.readString(report)).contains("\"status\" : \"rejected\"", "ファイルが空です", "The file is empty");
        assertThat(folder.resolve("empty.csv")).doesNotExist();
        assertThat(folder.resolve("empty.csv.camelLock")).doesNotExist();
    }

    @Test
    void anEmptyFileDoesNotHoldUpTheFilesBesideIt() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("import/designations"));
        Files.createFile(folder.resolve("a-empty.csv"));
        Files.writeString(folder.resolve("b-header-only.csv"), "都道府県コード,医療機関コード\n");

        long start = System.nanoTime();
        Eventually.waitUntil(Duration.ofSeconds(8), "both files filed", () -> filed(folder, "error").size() == 4);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a poll or two, not Camel's 10 s read-lock time-out")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aNameTooLongForTheTimeStampIsFiledShortenedAndReportedWhole() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("import/designations"));
        // 79 kanji and .csv: 241 bytes, a valid name, but not with "<yyyyMMdd-HHmmss-SSS>-" before it.
        String name = "群馬県難病医療協力病院指定一覧".repeat(6).substring(0, 79) + ".csv";
        Files.writeString(folder.resolve(name), "都道府県コード,医療機関コード\n");

        // It was never filed: each poll imported it again and failed to move it, with two stack traces.
        Eventually.waitUntil(Duration.ofSeconds(8), "the list filed under error/", () -> filed(folder, "error").size() == 2);
        String filed = filed(folder, "error").stream().filter(n -> !n.endsWith(".report.json")).findFirst().orElseThrow();
        assertThat(filed).endsWith("~.csv").startsWith(filed.substring(0, 20) + "群馬県難病医療協力病院指定一覧");
        assertThat((filed + ".report.json").getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(Files.readString(folder.resolve("error").resolve(filed + ".report.json")))
                .contains("\"fileName\" : \"" + name + "\"", "\"status\" : \"rejected\"");
        assertThat(folder.resolve(name)).doesNotExist();
    }

    @Test
    void aListIsLeftUnreadWhileItCannotBeFiledAndImportedOnceItCan() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("import/designations"));
        Files.writeString(folder.resolve("done"), "a file where the done/ folder should be");
        Files.writeString(folder.resolve("header-only.csv"), "都道府県コード,医療機関コード\n");

        // Several polls (every 200 ms, a list taken once it is 1 s old). Before, the list was imported at every poll:
        // its report could not be filed, so it stayed and was taken again.
        Thread.sleep(3_000);
        assertThat(importedFiles()).as("lists imported while done/ is a file").isZero();
        assertThat(folder.resolve("header-only.csv")).exists();
        assertThat(filed(folder, "error")).isEmpty();
        assertThat(FilingFolders.problem(folder)).isEqualTo(folder.resolve("done") + " is a file, not a folder");

        Files.delete(folder.resolve("done"));
        Eventually.waitUntil(Duration.ofSeconds(8), "the list filed under error/", () -> filed(folder, "error").size() == 2);
        assertThat(importedFiles()).as("imported once, when it could be filed").isEqualTo(1);
        assertThat(folder.resolve("header-only.csv")).doesNotExist();
    }

    @Test
    void aFolderIsCreatedIfMissingAndCanFileWhileDoneAndErrorAreFoldersOrMissing() throws Exception {
        Path folder = dataDir.resolve("new-source");
        assertThat(FilingFolders.problem(folder)).isNull();
        assertThat(folder).isDirectory();
        Files.createDirectories(folder.resolve("done"));
        assertThat(FilingFolders.problem(folder)).isNull();
        Files.writeString(folder.resolve("error"), "in the way");
        assertThat(FilingFolders.problem(folder)).isEqualTo(folder.resolve("error") + " is a file, not a folder");
        Files.writeString(dataDir.resolve("a-file"), "not a folder");
        assertThat(FilingFolders.problem(dataDir.resolve("a-file"))).startsWith(dataDir.resolve("a-file") + " cannot be created");
    }

    double importedFiles() {
        return metrics.find("nanbyo.designation.import.files").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aShortNameIsKeptAsItIs() {
        assertThat(DesignationImportRoutes.shortened("20261124-101503-227-gunma.csv", DesignationImportRoutes.MAXIMUM_ARCHIVE_NAME_BYTES))
                .isEqualTo("20261124-101503-227-gunma.csv");
        assertThat(DesignationImportRoutes.shortened("あいうえお.xlsx", 14)).isEqualTo("あい~.xlsx");
    }

    static List<String> filed(Path folder, String outcome) throws IOException {
        Path directory = folder.resolve(outcome);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
        }
    }
}
