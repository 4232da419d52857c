package jp.nanbyo.fhir.profiles;

import jp.nanbyo.fhir.terminology.NanbyoCanonical;

/** Identity of the network's FHIR NPM package, which the server installs at start-up. */
public final class NanbyoPackage {

    public static final String PACKAGE_ID = "jp.nanbyo.fhir";

    /** The package's canonical base is the terminology's: one base for every artefact we publish. */
    public static final String CANONICAL = NanbyoCanonical.BASE;

    public static final String FHIR_VERSION = "4.0.1";

    private NanbyoPackage() {
    }

    /** The canonical URL of one of our profiles, e.g. {@code profileUrl("nanbyo-organization")}. */
    public static String profileUrl(String profileId) {
        return NanbyoCanonical.url("StructureDefinition", profileId);
    }
}
