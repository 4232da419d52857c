package jp.nanbyo.fhir.terminology;

/**
 * The one canonical base of every artefact we publish (code systems, value sets, profiles, …).
 * Canonical URLs and computable names are derived from an artefact's id, never typed by hand.
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

    /** The computable name of an artefact, PascalCase of its id, e.g. {@code NanbyoDesignationRole}. */
    public static String name(String id) {
        StringBuilder name = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }
}
