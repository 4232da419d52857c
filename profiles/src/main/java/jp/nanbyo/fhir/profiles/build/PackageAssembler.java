package jp.nanbyo.fhir.profiles.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.hl7.fhir.utilities.npm.NpmPackageIndexBuilder;

/**
 * Writes our FHIR NPM package ({@value NanbyoPackage#PACKAGE_ID}): SUSHI's output (profiles, extensions,
 * search parameters, subscription topics, examples) plus every terminology resource of {@code nanbyo-terminology}.
 *
 * <ul>
 *   <li>{@code package/}: conformance resources, the only folder HAPI's package installer reads, subscription
 *       topics included (in R4 a topic is a {@code Basic}, see {@link SubscriptionTopics});
 *   <li>{@code package/example/}: the valid examples, shipped for validators and readers but never
 *       installed as data by the server.
 * </ul>
 *
 * <p>The build fails (no package is written) when a conformance resource is not {@code active} (HAPI's
 * installer would skip it silently), when a file is not named {@code <Type>-<id>.json}, when one of our
 * canonical URLs is not base + type + id (a topic's: base + {@code /SubscriptionTopic/} + id, also its
 * identifier), or when two resources would land in the same file. Entries are
 * sorted and time-stamped 0, so the same inputs give the same bytes.
 *
 * <p>Arguments: SUSHI's {@code fsh-generated/resources} folder and the {@code .tgz} to write.
 */
public final class PackageAssembler {

    /** Resource types that define things and go to {@code package/}; everything else is an example. */
    static final Set<String> CONFORMANCE_TYPES = Set.of("StructureDefinition", "SearchParameter", "CodeSystem",
            "ValueSet", "ConceptMap", "NamingSystem", "CapabilityStatement", "OperationDefinition",
            "CompartmentDefinition", "StructureMap", "GraphDefinition", "ImplementationGuide");

    static final String PACKAGE_FOLDER = "package/";
    static final String EXAMPLE_FOLDER = "package/example/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PackageAssembler() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PackageAssembler <fsh-generated/resources> <package.tgz>");
        }
        long started = System.nanoTime();
        Path sushiOutput = Path.of(args[0]);
        Path tgz = Path.of(args[1]);
        Files.deleteIfExists(tgz); // a failed assembly leaves no stale package behind

        List<Input> inputs = new ArrayList<>();
        try (var files = Files.list(sushiOutput)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                inputs.add(new Input("SUSHI " + file.getFileName(), file.getFileName().toString(), Files.readAllBytes(file)));
            }
        }
        int fromSushi = inputs.size();
        for (Map.Entry<String, byte[]> file : TerminologyResources.load(PackageAssembler.class.getClassLoader()).entrySet()) {
            inputs.add(new Input("nanbyo-terminology " + file.getKey(), file.getKey(), file.getValue()));
        }

        Map<String, byte[]> entries = assemble(inputs);
        Files.createDirectories(tgz.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(tgz)) {
            writeTgz(entries, out);
        }
        long examples = entries.keySet().stream().filter(n -> n.startsWith(EXAMPLE_FOLDER) && !n.endsWith("/.index.json")).count();
        System.out.printf("[package] %s#%s: %d resources from SUSHI, %d from nanbyo-terminology (%d examples), %d entries, %,d bytes -> %s in %.1f s%n",
                NanbyoPackage.PACKAGE_ID, NanbyoPackage.PACKAGE_VERSION, fromSushi, inputs.size() - fromSushi, examples,
                entries.size(), Files.size(tgz), tgz, (System.nanoTime() - started) / 1e9);
    }

    /** One resource file to package, with where it came from (for error messages). */
    record Input(String origin, String fileName, byte[] content) {
    }

    /**
     * Checks every input and lays the package out: entry name to content, sorted, including
     * {@code package/package.json} and one {@code .index.json} per folder.
     *
     * @throws IllegalStateException listing every problem found
     */
    static Map<String, byte[]> assemble(List<Input> inputs) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> entries = new TreeMap<>();
        Map<String, String> originOfEntry = new TreeMap<>();
        for (Input input : inputs) {
            JsonNode resource = JSON.readTree(input.content());
            String type = resource.path("resourceType").asText("");
            String id = resource.path("id").asText("");
            if (type.isEmpty() || id.isEmpty()) {
                problems.add(input.origin() + ": no resourceType or id");
                continue;
            }
            if (!input.fileName().equals(type + "-" + id + ".json")) {
                problems.add(input.origin() + ": file name must be " + type + "-" + id + ".json");
            }
            boolean topic = SubscriptionTopics.isTopic(resource);
            boolean conformance = CONFORMANCE_TYPES.contains(type) || topic;
            String status = topic ? SubscriptionTopics.status(resource) : resource.path("status").asText("");
            if (conformance && !"active".equals(status)) {
                problems.add(input.origin() + ": status is '" + (status.isEmpty() ? "(none)" : status)
                        + "', must be 'active' (HAPI's package installer silently skips anything else)");
            }
            // A topic is a Basic in R4, but its canonical URL names the type it stands for.
            String canonicalType = topic ? SubscriptionTopics.TYPE : type;
            String url = topic ? SubscriptionTopics.url(resource) : resource.path("url").asText("");
            if (conformance && (topic || url.startsWith(NanbyoPackage.CANONICAL + "/"))
                    && !url.equals(NanbyoPackage.CANONICAL + "/" + canonicalType + "/" + id)) {
                problems.add(input.origin() + ": url " + (url.isEmpty() ? "(none)" : url) + " is not "
                        + NanbyoPackage.CANONICAL + "/" + canonicalType + "/" + id);
            }
            if (topic && !url.equals(SubscriptionTopics.identifier(resource))) {
                problems.add(input.origin() + ": a topic has exactly one identifier, urn:ietf:rfc:3986|" + url
                        + " (HAPI's package installer finds an installed Basic again by its identifier)");
            }
            String entry = (conformance ? PACKAGE_FOLDER : EXAMPLE_FOLDER) + type + "-" + id + ".json";
            String previous = originOfEntry.put(entry, input.origin());
            if (previous != null) {
                problems.add(input.origin() + ": " + entry + " is also produced by " + previous);
            }
            entries.put(entry, input.content());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Cannot assemble " + NanbyoPackage.PACKAGE_ID + ":\n  - "
                    + String.join("\n  - ", problems));
        }
        entries.put(PACKAGE_FOLDER + "package.json", packageJson());
        entries.put(PACKAGE_FOLDER + ".index.json", index(entries, PACKAGE_FOLDER));
        entries.put(EXAMPLE_FOLDER + ".index.json", index(entries, EXAMPLE_FOLDER));
        return entries;
    }

    static byte[] packageJson() throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", NanbyoPackage.PACKAGE_ID);
        json.put("version", NanbyoPackage.PACKAGE_VERSION);
        json.put("type", "Conformance");
        json.put("title", "難病医療提供体制 FHIR package (Japan's rare-disease care network)");
        json.put("description", "Profiles, extensions, search parameters, terminology and examples of the "
                + "rare-disease care network directory and referral exchange (FHIR R4).");
        json.put("canonical", NanbyoPackage.CANONICAL);
        json.put("url", NanbyoPackage.CANONICAL);
        json.put("jurisdiction", "urn:iso:std:iso:3166#JP");
        json.putArray("fhirVersions").add(NanbyoPackage.FHIR_VERSION);
        json.putObject("dependencies").put("hl7.fhir.r4.core", NanbyoPackage.FHIR_VERSION);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    }

    /** The {@code .index.json} of one folder, built by the same code that HAPI uses to read packages. */
    private static byte[] index(Map<String, byte[]> entries, String folder) {
        NpmPackageIndexBuilder builder = new NpmPackageIndexBuilder();
        builder.start(null);
        entries.forEach((name, content) -> {
            String file = name.substring(folder.length());
            if (name.startsWith(folder) && !file.contains("/") && !file.equals("package.json") && !file.startsWith(".")) {
                builder.seeFile(file, content);
            }
        });
        return builder.build().getBytes(StandardCharsets.UTF_8);
    }

    static void writeTgz(Map<String, byte[]> entries, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setModTime(0L);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
