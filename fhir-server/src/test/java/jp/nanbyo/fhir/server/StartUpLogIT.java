package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads when a new server starts: the first start on an empty data folder, which creates the schema,
 * installs the conformance package, stores its code systems and loads the demo network. A warning there must mean
 * something, so there is none. The server is the sync tests' source ({@link DirectoryServers#SOURCE}), started once for
 * all of them.
 */
class StartUpLogIT {

    /** A line of our log format at WARN or ERROR, or a warning of the JVM or of java.util.logging. */
    private static final Pattern WARNING = Pattern.compile("\\S+\\s+(WARN|ERROR)\\s.*|WARNING.*|.*VM warning.*");

    @Test
    void aFirstStartThatLoadsTheDemoNetworkLogsNoWarningAndNoError() throws Exception {
        SecondServer server = DirectoryServers.SOURCE.awaitReady();
        List<String> lines = Files.readAllLines(server.log());
        int demoLoaded = indexOf(lines, "Demo network: ");
        int started = indexOf(lines, "Started SourceDirectoryApplication in ");
        assertThat(started).as("the start in " + server.log()).isNotNegative();
        assertThat(demoLoaded).as("the demo network loaded, in " + server.log()).isNotNegative();

        List<String> startUp = lines.subList(0, Math.max(started, demoLoaded) + 1);
        assertThat(startUp).as("warnings and errors of the start in " + server.log())
                .filteredOn(line -> WARNING.matcher(line).matches())
                .isEmpty();
        assertThat(startUp).as("the conformance package installed and the validator warmed up")
                .anyMatch(line -> line.contains("Installed conformance package"))
                .anyMatch(line -> line.contains("Validator ready"));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
