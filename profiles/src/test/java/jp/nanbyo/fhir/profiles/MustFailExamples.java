package jp.nanbyo.fhir.profiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The must-fail examples in {@code src/test/resources/must-fail/} and what each must break, as stated
 * in {@value #TABLE}: one row per file with the rule (an invariant key {@code nanbyo-…} or a fragment of
 * HAPI's error message), the location HAPI reports, and what the example gets wrong.
 */
final class MustFailExamples {

    static final String FOLDER = "must-fail/";
    static final String TABLE = FOLDER + "expected-failures.csv";

    /** One row of the table. */
    record Case(String file, String rule, String location, String breaks) {

        boolean isInvariant() {
            return rule.startsWith("nanbyo-");
        }

        /** The profile the file must fail, named by the file's prefix (e.g. NanbyoHospital-…). */
        String profileName() {
            return file.substring(0, file.indexOf('-'));
        }

        String json() {
            return read(FOLDER + file);
        }

        @Override
        public String toString() {
            return file + " breaks " + rule + " at " + location;
        }
    }

    private MustFailExamples() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String line : read(TABLE).split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("file,")) {
                continue;
            }
            String[] cells = line.split(",", 4);
            if (cells.length != 4) {
                throw new IllegalStateException(TABLE + ": not 4 cells: " + line);
            }
            cases.add(new Case(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip()));
        }
        return cases;
    }

    static String read(String resource) {
        try (InputStream in = MustFailExamples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Not on the test classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
