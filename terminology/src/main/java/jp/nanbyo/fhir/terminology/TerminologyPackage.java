package jp.nanbyo.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * Where the generated terminology sits on the classpath of this module's jar, and the version and date it carries.
 * {@link TerminologyGenerator} writes one JSON file per resource into {@link #CLASSPATH_FOLDER}, and {@link #INDEX}
 * there lists the file names, so that other modules can read them without scanning the jar.
 */
public final class TerminologyPackage {

    /** Business version of every generated resource (except snapshots of others' lists, which carry their own). */
    public static final String VERSION = "0.1.0";

    /** {@code date} of every generated resource: the day this version was fixed. Change it with {@link #VERSION}. */
    public static final String DATE = "2026-11-22";

    public static final String PUBLISHER = "Nanbyo FHIR project";

    /** Folder of the generated files on the classpath (no leading slash, for {@link ClassLoader#getResource}). */
    public static final String CLASSPATH_FOLDER = "jp/nanbyo/fhir/terminology/package/";

    /** File in {@link #CLASSPATH_FOLDER} listing the generated files, one name per line. */
    public static final String INDEX = "index.txt";

    private TerminologyPackage() {
    }

    /** The generated file of a resource: {@code <ResourceType>-<id>.json}. */
    public static String fileName(Resource resource) {
        return resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
    }

    /** The names of the generated files, read from the index on the given class loader's classpath. */
    public static List<String> fileNames(ClassLoader classLoader) throws IOException {
        try (InputStream index = classLoader.getResourceAsStream(CLASSPATH_FOLDER + INDEX)) {
            if (index == null) {
                throw new IOException(CLASSPATH_FOLDER + INDEX + " is not on the classpath (build nanbyo-terminology)");
            }
            return new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                    .toList();
        }
    }
}
