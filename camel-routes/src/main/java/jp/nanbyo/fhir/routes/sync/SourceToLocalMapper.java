package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A source's resource in its local form: the local id ({@link LocalIds}), {@code meta.source} naming
 * the source version it was taken from ({@code <base>/<type>/<id>/_history/<version>}), no version or
 * time of the source's own, and every reference to a resource of the source rewritten to that
 * resource's local id (or to the local resource it was linked to). Everything else is kept as the
 * source wrote it: profiles, tags, identifiers, extensions, contained resources, narrative.
 */
final class SourceToLocalMapper {

    /** A reference to one of the source's resources: {@code Type/id}, possibly with {@code /_history/v}. */
    private static final Pattern RELATIVE = Pattern.compile("^([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$");

    /** A resource of the source, as a reference names it. */
    record Target(String type, String id) {

        String key() {
            return type + "/" + id;
        }
    }

    /** How a reference is to read locally, or why it cannot be written. */
    sealed interface Resolution {
        /** @param reference the local reference, {@code Type/localId} */
        record Local(String reference) implements Resolution {
        }

        /** @param reason why the resource holding the reference cannot be written (English; ids only) */
        record Unresolved(String reason) implements Resolution {
        }
    }

    /** A mapped resource, or why it cannot be mapped; with the local references it holds. */
    record Mapped(Resource resource, List<String> localReferences, String unresolved) {

        boolean ok() {
            return unresolved == null;
        }
    }

    private final FhirTerser terser;
    private final String sourceId;
    private final String base;

    /**
     * @param base the source's FHIR base URL without a trailing slash
     */
    SourceToLocalMapper(FhirContext fhirContext, String sourceId, String base) {
        this.terser = fhirContext.newTerser();
        this.sourceId = sourceId;
        this.base = base;
    }

    /** The source's resources that a resource refers to (literal references into the source only). */
    List<Target> targets(Resource resource) {
        List<Target> targets = new ArrayList<>();
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            target(reference.getReference()).ifPresent(targets::add);
        }
        return targets;
    }

    /**
     * @param version a version at the source that is not a deletion
     * @param resolve the local reference for each of the source's resources referred to
     */
    Mapped toLocal(SourceVersion version, Function<Target, Resolution> resolve) {
        Resource local = version.resource().copy();
        local.setId(version.type() + "/" + LocalIds.localId(sourceId, version.id()));
        local.getMeta().setVersionId(null);
        local.getMeta().setLastUpdated(null);
        local.getMeta().setSource(sourceUrl(version));
        List<String> localReferences = new ArrayList<>();
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(local, Reference.class)) {
            Optional<Target> target = target(reference.getReference());
            if (target.isEmpty()) {
                continue;
            }
            Resolution resolution = resolve.apply(target.get());
            if (resolution instanceof Resolution.Unresolved unresolved) {
                return new Mapped(null, List.of(), unresolved.reason());
            }
            String rewritten = ((Resolution.Local) resolution).reference();
            reference.setReference(rewritten);
            localReferences.add(rewritten);
        }
        return new Mapped(local, List.copyOf(localReferences), null);
    }

    /** Where a local copy came from: the source version's URL. */
    String sourceUrl(SourceVersion version) {
        return base + "/" + version.type() + "/" + version.id() + (version.version() == null ? "" : "/_history/" + version.version());
    }

    /**
     * The source version a local copy was taken from, from its {@code meta.source} (HAPI may have added
     * {@code #<request id>}): the version, or empty when it names none.
     */
    static Optional<String> sourceVersionOf(String metaSource, String type, String remoteId) {
        if (metaSource == null) {
            return Optional.empty();
        }
        String uri = metaSource.contains("#") ? metaSource.substring(0, metaSource.indexOf('#')) : metaSource;
        String marker = "/" + type + "/" + remoteId + "/_history/";
        int at = uri.lastIndexOf(marker);
        return at < 0 ? Optional.empty() : Optional.of(uri.substring(at + marker.length()));
    }

    /**
     * The source's resource a literal reference names: {@code Type/id} (or {@code Type/id/_history/v}),
     * relative or absolute on the source's base. Contained ({@code #…}), {@code urn:} and other servers'
     * absolute references name none and are kept as they are.
     */
    Optional<Target> target(String reference) {
        if (reference == null || reference.isEmpty() || reference.startsWith("#")) {
            return Optional.empty();
        }
        String relative = reference;
        if (reference.contains("://")) {
            if (!reference.startsWith(base + "/")) {
                return Optional.empty();
            }
            relative = reference.substring(base.length() + 1);
        }
        Matcher matcher = RELATIVE.matcher(relative);
        return matcher.matches() ? Optional.of(new Target(matcher.group(1), matcher.group(2))) : Optional.empty();
    }
}
