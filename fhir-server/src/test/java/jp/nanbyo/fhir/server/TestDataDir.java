package jp.nanbyo.fhir.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A new, empty data folder under target/ for one test context: its H2 file and Lucene index are its own. */
public final class TestDataDir {

    private TestDataDir() {
    }

    public static Path fresh(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
