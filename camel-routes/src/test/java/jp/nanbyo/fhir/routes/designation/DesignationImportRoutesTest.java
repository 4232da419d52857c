package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
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

    @BeforeEach
    void start() throws Exception {
        DesignationImportService service = new DesignationImportService(new StandardEnvironment(),
                new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class), DataSize.ofMegabytes(1),
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
