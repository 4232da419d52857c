package jp.nanbyo.fhir.terminology;

import java.util.List;
import java.util.Map;

/**
 * One CSV file as read by {@link CsvReader}: the {@code #} provenance comment lines above the header, the header, and
 * the rows. Every value is kept as a string, so codes keep their leading zeros.
 */
record CsvTable(String source, List<String> provenance, List<String> header, List<Row> rows) {

    CsvTable {
        provenance = List.copyOf(provenance);
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    boolean hasColumn(String column) {
        return header.contains(column);
    }

    /** One data row; {@code line} is the 1-based line where it starts, for error messages. */
    record Row(String source, int line, Map<String, String> values) {

        /** The trimmed value of a column of this file ("" when empty); a column the file lacks is an error. */
        String get(String column) {
            String value = values.get(column);
            if (value == null) {
                throw new IllegalArgumentException(source + " has no column '" + column + "'");
            }
            return value;
        }

        /** The value of a column, or "" when the file has no such column. */
        String getOrEmpty(String column) {
            return values.getOrDefault(column, "");
        }

        /** "file:line", the prefix of every message about this row. */
        String where() {
            return source + ":" + line;
        }
    }
}
