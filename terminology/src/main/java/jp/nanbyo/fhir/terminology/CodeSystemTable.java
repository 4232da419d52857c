package jp.nanbyo.fhir.terminology;

import java.util.List;
import java.util.function.Function;

/**
 * The definition of one code system made from CSV: what {@link CodeSystemFactory} needs, declared once in
 * {@link TerminologyTables}. The computable name is derived from the id ({@link NanbyoCanonical#name}).
 *
 * @param url        the CodeSystem's canonical URL (ours, except for the JP Core copy)
 * @param valueSetId id of the ValueSet of all its codes (usually the same id)
 * @param copyright  licence and attribution of the sources, or {@code null} for our own tables
 */
record CodeSystemTable(String id, String url, String version, String valueSetId, String title, String description,
                       String copyright, List<Source> sources, Columns columns, List<PropertyColumn> properties) {

    /** The column layout of our hand-written tables. */
    static final Columns HAND_WRITTEN = new Columns("display_ja", "display_en", "definition");

    CodeSystemTable {
        sources = List.copyOf(sources);
        properties = List.copyOf(properties);
    }

    /** One of our code systems, versioned with the package. */
    CodeSystemTable(String id, String title, String description, String copyright, List<Source> sources,
                    Columns columns, List<PropertyColumn> properties) {
        this(id, NanbyoCanonical.url("CodeSystem", id), TerminologyPackage.VERSION, id, title, description, copyright,
                sources, columns, properties);
    }

    /** A hand-written table: {@code code,display_ja,display_en,definition} plus the columns of its properties. */
    static CodeSystemTable handWritten(String id, String file, String title, String description,
                                       PropertyColumn... properties) {
        return new CodeSystemTable(id, title, description, null, List.of(Source.byColumn(file, "code")), HAND_WRITTEN,
                List.of(properties));
    }

    /** The same table with a version of its own (a snapshot of someone else's list). */
    CodeSystemTable withVersion(String ownVersion) {
        return new CodeSystemTable(id, url, ownVersion, valueSetId, title, description, copyright, sources, columns,
                properties);
    }

    /** The same table published under another organisation's system URL, with a ValueSet id of ours. */
    CodeSystemTable withSystemUrl(String systemUrl, String ourValueSetId) {
        return new CodeSystemTable(id, systemUrl, version, ourValueSetId, title, description, copyright, sources,
                columns, properties);
    }

    /** A CSV file of concepts and how to get each row's code. */
    record Source(String file, Function<CsvTable.Row, String> code) {

        static Source byColumn(String file, String column) {
            return new Source(file, row -> row.get(column));
        }
    }

    /**
     * Which columns hold the Japanese display, the English display ({@code null}: none) and the definition
     * ({@code null}: none).
     */
    record Columns(String display, String english, String definition) {
    }
}
