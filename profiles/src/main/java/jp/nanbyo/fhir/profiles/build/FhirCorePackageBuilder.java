package jp.nanbyo.fhir.profiles.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Rebuilds the FHIR package {@code hl7.fhir.r4.core#4.0.1} in a FHIR package cache folder from the
 * definition bundles that HAPI ships in {@code hapi-fhir-validation-resources-r4}, because the
 * package registry (packages.fhir.org) cannot be reached from our build machines.
 *
 * <p>Run by Maven (exec:java) before SUSHI, which finds the package under
 * {@code $HOME/.fhir/packages}; the build points {@code HOME} into {@code target/}, so a user's own
 * package cache is never read or written. The folder is rebuilt only when the HAPI version changes.
 *
 * <p>Arguments: the package cache folder ({@code …/.fhir/packages}) and the HAPI version, recorded as
 * the cache's stamp.
 */
public final class FhirCorePackageBuilder {

    static final String PACKAGE_NAME = "hl7.fhir.r4.core";
    static final String PACKAGE_VERSION = "4.0.1";

    /** The bundles of {@code hapi-fhir-validation-resources-r4} that hold the core definitions. */
    static final List<String> BUNDLES = List.of(
            "org/hl7/fhir/r4/model/profile/profiles-types.xml",
            "org/hl7/fhir/r4/model/profile/profiles-resources.xml",
            "org/hl7/fhir/r4/model/profile/profiles-others.xml",
            "org/hl7/fhir/r4/model/extension/extension-definitions.xml",
            "org/hl7/fhir/r4/model/valueset/valuesets.xml",
            "org/hl7/fhir/r4/model/valueset/v2-tables.xml",
            "org/hl7/fhir/r4/model/valueset/v3-codesystems.xml",
            "org/hl7/fhir/r4/model/sp/search-parameters.json");

    private static final String STAMP_FILE = ".built-from";

    private FhirCorePackageBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FhirCorePackageBuilder <fhir-package-cache-dir> <hapi-version>");
        }
        Path packageDir = Path.of(args[0]).resolve(PACKAGE_NAME + "#" + PACKAGE_VERSION);
        String stamp = "hapi-fhir-validation-resources-r4 " + args[1];
        Path stampFile = packageDir.resolve(STAMP_FILE);
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            System.out.println("[fhir-core] " + PACKAGE_NAME + "#" + PACKAGE_VERSION + " is up to date in " + packageDir);
            return;
        }
        long started = System.nanoTime();
        int count = build(packageDir.resolve("package"));
        Files.writeString(stampFile, stamp);
        System.out.printf("[fhir-core] wrote %d resources of %s#%s to %s in %.1f s%n",
                count, PACKAGE_NAME, PACKAGE_VERSION, packageDir, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Writes {@code package.json} and one {@code <Type>-<id>.json} per resource; returns the number of
     * files written. Bundles are parsed in parallel (parsing is most of the time) but merged in the
     * order of {@link #BUNDLES}, the first bundle winning when two hold the same resource, so the
     * result does not depend on thread timing.
     */
    static int build(Path packageFolder) throws IOException {
        SushiProjectStager.deleteRecursively(packageFolder);
        Files.createDirectories(packageFolder);
        FhirContext ctx = FhirContext.forR4Cached();
        List<Map<String, String>> parsed;
        try {
            parsed = BUNDLES.parallelStream().map(bundle -> resourcesOf(ctx, bundle)).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, String> files = new LinkedHashMap<>();
        parsed.forEach(bundle -> bundle.forEach(files::putIfAbsent));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(packageFolder.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(packageFolder.resolve("package.json"), """
                {
                  "name": "%s",
                  "version": "%s",
                  "type": "Core",
                  "tools-version": 3,
                  "canonical": "http://hl7.org/fhir",
                  "url": "http://hl7.org/fhir/R4",
                  "fhirVersions": ["%s"],
                  "title": "FHIR R4 core definitions, rebuilt offline from hapi-fhir-validation-resources-r4",
                  "dependencies": {}
                }
                """.formatted(PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_VERSION));
        return files.size();
    }

    /** File name ({@code <Type>-<id>.json}) to JSON, for every resource of one bundle on the classpath. */
    private static Map<String, String> resourcesOf(FhirContext ctx, String bundlePath) {
        try (InputStream in = FhirCorePackageBuilder.class.getClassLoader().getResourceAsStream(bundlePath)) {
            if (in == null) {
                throw new IllegalStateException("Not on the classpath: " + bundlePath
                        + " (is hapi-fhir-validation-resources-r4 a dependency?)");
            }
            IParser parser = bundlePath.endsWith(".json") ? ctx.newJsonParser() : ctx.newXmlParser();
            Bundle bundle = parser.parseResource(Bundle.class, new InputStreamReader(in, StandardCharsets.UTF_8));
            IParser json = ctx.newJsonParser();
            Map<String, String> resources = new LinkedHashMap<>();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                if (resource != null && resource.hasIdElement()) {
                    String name = resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json";
                    resources.putIfAbsent(name, json.encodeResourceToString(resource));
                }
            }
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
