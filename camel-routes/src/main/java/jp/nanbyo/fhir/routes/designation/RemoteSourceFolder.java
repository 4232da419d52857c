package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A remote source's local folder, {@code <data-dir>/import/designations/<id>/}: a copy of every list
 * fetched, filed under done/ or error/ with its report beside it (as the watched folder files its
 * lists), and the source's own state (what was already fetched).
 */
final class RemoteSourceFolder {

    private final Path root;
    private final FilingFolders filing;
    private String lastFailure;

    RemoteSourceFolder(Path root, String sourceName) {
        this.root = root;
        this.filing = new FilingFolders(root, "Lists from " + sourceName + " are not fetched");
    }

    /** Whether a fetched list could be filed here: nothing is fetched while it could not. */
    FilingFolders filing() {
        return filing;
    }

    Path resolve(String name) {
        return root.resolve(name);
    }

    /** The list and its report: error/ when the report rejects it, else done/. */
    synchronized void file(String fileName, byte[] content, boolean rejected, String reportJson) {
        String name = DesignationImportRoutes.archiveName(fileName);
        Path folder = root.resolve(rejected ? "error" : "done");
        write(folder, name, content);
        write(folder, name + ".report.json", reportJson.getBytes(StandardCharsets.UTF_8));
        lastFailure = null;
    }

    /**
     * A report in error/ when the list could not be fetched; the same failure poll after poll is
     * filed once (it is logged each time), so that error/ does not fill up while nobody fixes it.
     */
    synchronized void fileFailure(String fileName, String failure, String reportJson) {
        if (failure.equals(lastFailure)) {
            return;
        }
        write(root.resolve("error"), DesignationImportRoutes.archiveName(fileName) + ".report.json",
                reportJson.getBytes(StandardCharsets.UTF_8));
        lastFailure = failure;
    }

    private static void write(Path folder, String name, byte[] content) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
