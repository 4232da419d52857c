package jp.nanbyo.fhir.terminology;

/**
 * The definition of one concept map from the rows of a code system's CSV to codes of another system held in one of
 * its columns ({@code ;}-separated, each with {@link #prefix} to strip). Every row says in {@link #MAPPING_SOURCE}
 * how its codes were found and may add {@link #NOTES}; both go into each target's comment.
 *
 * @param targetValueSet the ConceptMap's targetUri
 */
record ConceptMapTable(String id, String title, CodeSystemTable source, String targetSystem, String targetValueSet,
                       String column, String prefix, String description, String purpose, String copyright) {

    /** Column saying how a row's codes were found; a value containing "UNVERIFIED" marks a guess. */
    static final String MAPPING_SOURCE = "mapping_source";

    /** Column with caveats about a row (e.g. a renamed disease whose mappings reflect the old name). */
    static final String NOTES = "notes";
}
