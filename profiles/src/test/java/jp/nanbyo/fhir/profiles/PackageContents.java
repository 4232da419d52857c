package jp.nanbyo.fhir.profiles;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The built package as the tests see it: every entry of the {@code .tgz} on the classpath, parsed once.
 */
final class PackageContents {

    static final PackageContents INSTANCE = load();

    private final Map<String, byte[]> entries;
    private final Map<String, Resource> resources;

    private PackageContents(Map<String, byte[]> entries, Map<String, Resource> resources) {
        this.entries = entries;
        this.resources = resources;
    }

    private static PackageContents load() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = PackageContents.class.getClassLoader().getResourceAsStream(NanbyoPackage.CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(NanbyoPackage.CLASSPATH_RESOURCE + " is not on the classpath: build the module");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Resource> resources = new LinkedHashMap<>();
        var parser = FhirContext.forR4Cached().newJsonParser();
        entries.forEach((name, content) -> {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (file.endsWith(".json") && !file.startsWith(".") && !file.equals("package.json")) {
                resources.put(name, (Resource) parser.parseResource(new String(content, StandardCharsets.UTF_8)));
            }
        });
        return new PackageContents(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(resources));
    }

    /** Entry name (e.g. {@code package/StructureDefinition-nanbyo-hospital.json}) to bytes. */
    Map<String, byte[]> entries() {
        return entries;
    }

    /** Entry name to parsed resource, for every resource file. */
    Map<String, Resource> resources() {
        return resources;
    }

    /** The conformance resources ({@code package/}), which the server installs. */
    List<Resource> conformanceResources() {
        return resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith("package/") && !e.getKey().startsWith("package/example/"))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The valid examples ({@code package/example/}). */
    List<Resource> examples() {
        return resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith("package/example/"))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Our profiles: constraints on a resource type (not extensions). */
    List<StructureDefinition> profiles() {
        return conformanceResources().stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .filter(sd -> sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE)
                .toList();
    }

    /** Our subscription topics: in R4, a Basic coded fhir-types#SubscriptionTopic (FHIR Subscriptions Backport IG). */
    List<Basic> topics() {
        return conformanceResources().stream()
                .filter(PackageContents::isTopic)
                .map(Basic.class::cast)
                .toList();
    }

    /** Every conformance resource as a definition (canonical type, id, url, name, status). */
    List<Definition> definitions() {
        return conformanceResources().stream().map(Definition::of).toList();
    }

    Optional<Definition> byUrl(String url) {
        return definitions().stream().filter(d -> url.equals(d.url())).findFirst();
    }

    static boolean isTopic(IBaseResource resource) {
        return resource instanceof Basic basic && basic.getCode().getCoding().stream()
                .anyMatch(c -> TOPIC_CODE_SYSTEM.equals(c.getSystem()) && "SubscriptionTopic".equals(c.getCode()));
    }

    static final String TOPIC_CODE_SYSTEM = "http://hl7.org/fhir/fhir-types";
    static final String TOPIC_EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.";

    /**
     * A conformance resource as the naming table sees it. A topic's type is SubscriptionTopic (the type its URL
     * names) though R4 stores it as a Basic, its url, name and status in cross-version extensions.
     */
    record Definition(String type, String id, String url, String name, String status, Resource resource) {

        static Definition of(Resource resource) {
            String id = resource.getIdElement().getIdPart();
            if (isTopic(resource)) {
                Basic topic = (Basic) resource;
                return new Definition("SubscriptionTopic", id, value(topic.getExtensionByUrl(TOPIC_EXTENSION + "url")),
                        value(topic.getExtensionByUrl(TOPIC_EXTENSION + "name")),
                        value(topic.getModifierExtensionsByUrl(TOPIC_EXTENSION + "status").stream().findFirst().orElse(null)),
                        resource);
            }
            MetadataResource artefact = (MetadataResource) resource;
            return new Definition(resource.fhirType(), id, artefact.getUrl(), artefact.getName(),
                    artefact.getStatus() == null ? null : artefact.getStatus().toCode(), resource);
        }

        private static String value(Extension extension) {
            return extension == null || !extension.hasValue() ? null : extension.getValue().primitiveValue();
        }
    }

    static String describe(IBaseResource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
