package jp.nanbyo.fhir.terminology;

/**
 * Identifier systems of our own, for things that have no agreed system yet (JP Core's are in
 * {@link JpCoreSystems}). All live under {@code <canonical base>/sid/}; the list and the meaning of
 * each value are in docs/naming.md.
 */
public final class NanbyoIdentifierSystems {

    /** A prefecture government: its 全国地方公共団体コード (6 digits with check digit, e.g. 100005 for 群馬県). */
    public static final String LOCAL_GOVERNMENT_CODE = sid("local-government-code");

    /** A prefecture's rare-disease network (難病医療提供体制): the prefecture's 2-digit code. */
    public static final String PREFECTURE_NETWORK = sid("prefecture-network");

    /**
     * A municipality as an area, until municipality codes are loaded: "prefecture code:name", e.g.
     * {@code 10:前橋市}.
     */
    public static final String MUNICIPALITY = sid("municipality");

    /**
     * A designation made by a prefecture's list: "prefecture:医療機関コード:role:field:start", e.g.
     * {@code 10:1017010016:hub-hospital::2025-04-01} (field empty unless the role is per field).
     */
    public static final String DESIGNATION = sid("designation");

    /** A national body (IRUD, 難病情報センター, …): a short name of ours, e.g. {@code irud}. */
    public static final String NATIONAL_BODY = sid("national-body");

    /** A HealthcareService: {@code <医療機関コード>:<service type>[:<disease field>]}, e.g. {@code 1017010016:diagnosis:neuromuscular}. */
    public static final String HEALTHCARE_SERVICE = sid("healthcare-service");

    /** An imported file: the SHA-256 of its bytes, hex. */
    public static final String IMPORT_FILE_SHA256 = sid("import-file-sha256");

    /**
     * Another directory that this one synchronises from (mCSD ITI-91): the id of its entry under
     * {@code nanbyo.directory-sync.sources}, e.g. {@code gunma}.
     */
    public static final String DIRECTORY_SYNC_SOURCE = sid("directory-sync-source");

    private NanbyoIdentifierSystems() {
    }

    private static String sid(String name) {
        return NanbyoCanonical.BASE + "/sid/" + name;
    }
}
