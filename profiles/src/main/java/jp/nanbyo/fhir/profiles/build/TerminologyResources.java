package jp.nanbyo.fhir.profiles.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.nanbyo.fhir.terminology.TerminologyPackage;

/**
 * The terminology resources (CodeSystems, ValueSets, ConceptMaps) that the {@code nanbyo-terminology} jar
 * publishes on the classpath: the files its index lists ({@link TerminologyPackage#INDEX}).
 */
final class TerminologyResources {

    private TerminologyResources() {
    }

    /** File name ({@code <Type>-<id>.json}) to content, in the index's order. */
    static Map<String, byte[]> load(ClassLoader loader) throws IOException {
        List<String> names = TerminologyPackage.fileNames(loader);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : names) {
            String path = TerminologyPackage.CLASSPATH_FOLDER + name;
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("The terminology index lists " + name + ", which is not on the classpath");
                }
                if (files.put(name, in.readAllBytes()) != null) {
                    throw new IllegalStateException("The terminology index lists " + name + " twice");
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("The terminology index " + TerminologyPackage.CLASSPATH_FOLDER
                    + TerminologyPackage.INDEX + " lists no resources");
        }
        return files;
    }
}
