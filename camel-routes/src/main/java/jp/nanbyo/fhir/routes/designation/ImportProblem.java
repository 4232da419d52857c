package jp.nanbyo.fhir.routes.designation;

import java.util.Objects;

/**
 * One problem: row = the row number the operator sees (CSV: physical line number of the record,
 * header = line 1; xlsx: Excel row number, 1-based), 0 for the whole file; column = the canonical
 * Japanese header (or "" for the whole file/row); value = the offending raw value ("" if none);
 * reasons in Japanese and English, each a full sentence saying what to do.
 */
public record ImportProblem(int row, String column, String value, String reasonJa, String reasonEn) {

    public ImportProblem {
        if (row < 0) {
            throw new IllegalArgumentException("row must be 0 (whole file) or a row number: " + row);
        }
        column = Objects.requireNonNullElse(column, "");
        value = Objects.requireNonNullElse(value, "");
        Objects.requireNonNull(reasonJa, "reasonJa");
        Objects.requireNonNull(reasonEn, "reasonEn");
    }

    /** A problem with the file as a whole (row 0, no column, no value). */
    static ImportProblem ofFile(String reasonJa, String reasonEn) {
        return new ImportProblem(0, "", "", reasonJa, reasonEn);
    }
}
