package jp.nanbyo.fhir.terminology;

/**
 * The one canonical base of every artefact we publish (code systems, value sets, profiles, …).
 * Canonical URLs are derived from it and an artefact id, never typed by hand.
 */
public final class NanbyoCanonical {

    public static final String BASE = "http://nanbyo.jp/fhir";

    private NanbyoCanonical() {
    }

    /** The canonical URL of an artefact, e.g. {@code url("CodeSystem", "nanbyo-designation-role")}. */
    public static String url(String resourceType, String id) {
        if (resourceType == null || resourceType.isBlank() || id == null || !id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new IllegalArgumentException("Not a FHIR resource type and id: " + resourceType + "/" + id);
        }
        return BASE + "/" + resourceType + "/" + id;
    }
}
