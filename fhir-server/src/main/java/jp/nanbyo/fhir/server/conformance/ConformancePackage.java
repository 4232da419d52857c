package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The network's FHIR NPM package (built by the {@code profiles} module) as the server sees it:
 * its bytes from the class path, its id and version, a fingerprint of its content, and the
 * profiles it defines per resource type.
 */
public final class ConformancePackage {

    private final byte[] bytes;
    private final NpmPackage npm;
    private final String fingerprint;

    private ConformancePackage(byte[] bytes) {
        this.bytes = bytes;
        try {
            this.npm = NpmPackage.fromPackage(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("The conformance package is not a readable NPM package", e);
        }
        this.fingerprint = fingerprint(bytes);
    }

    public static ConformancePackage fromClasspath() {
        ClassLoader classLoader = ConformancePackage.class.getClassLoader();
        try (InputStream in = classLoader.getResourceAsStream(NanbyoPackage.CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The conformance package is missing from the class path: "
                        + NanbyoPackage.CLASSPATH_RESOURCE + " (built by the profiles module)");
            }
            return new ConformancePackage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String id() {
        return npm.name();
    }

    public String version() {
        return npm.version();
    }

    /** SHA-256 over the entries' names and contents, so that rebuilding the same sources gives the same value. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Constraint profiles on resources, by the resource type they constrain (abstract ones excluded). */
    public Map<String, List<String>> profilesByResourceType(FhirContext fhir) {
        Map<String, List<String>> profiles = new TreeMap<>();
        try {
            for (String file : npm.listResources("StructureDefinition")) {
                try (InputStream in = npm.loadResource(file)) {
                    StructureDefinition definition = fhir.newJsonParser().parseResource(StructureDefinition.class, in);
                    if (definition.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                            && definition.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT
                            && !definition.getAbstract()) {
                        profiles.computeIfAbsent(definition.getType(), type -> new ArrayList<>()).add(definition.getUrl());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        profiles.values().forEach(urls -> urls.sort(null));
        return profiles;
    }

    /** The package's example resources (its {@code example} folder). */
    public List<IBaseResource> examples(FhirContext fhir) {
        List<IBaseResource> examples = new ArrayList<>();
        try {
            for (String file : npm.list("example")) {
                if (file.endsWith(".json") && !file.startsWith(".")) {
                    try (InputStream in = npm.load("example", file)) {
                        examples.add(fhir.newJsonParser().parseResource(in));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return examples;
    }

    static String fingerprint(byte[] tgz) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            Map<String, byte[]> entries = new TreeMap<>();
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            entries.forEach((name, content) -> {
                sha256.update(name.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
                sha256.update(content);
            });
            return HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("The conformance package is not a readable .tgz", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
