package jp.nanbyo.fhir.routes.designation;

import java.time.LocalDate;
import java.util.List;

/**
 * Either a list (problems empty) or problems (list null). A list with bad rows is rejected whole, yet the report still
 * says which prefecture and 基準日 it gave and how many rows it had: {@code read} holds what could be read of it,
 * {@code wellFormed} its rows that passed every check of the reader, and {@code namedByRowsWithProblems} what its other
 * rows name (both empty when its header or the sheet itself has a problem, which leaves the rows unreliable), so that
 * the importer can check those against the terminology too.
 */
public record ReadResult(DesignationList list, List<ImportProblem> problems, Read read, DesignationList wellFormed,
        List<Named> namedByRowsWithProblems) {

    /**
     * What was read of a file, rejected or not.
     *
     * @param prefecture its 都道府県コード, null if no row gave a readable one
     * @param referenceDate its 基準日, null if no row gave a readable one
     * @param rows its data rows (blank rows do not count)
     */
    public record Read(String prefecture, LocalDate referenceDate, int rows) {
        static final Read NOTHING = new Read(null, null, 0);

        static Read of(DesignationList list) {
            return new Read(list.prefectureCode(), list.referenceDate(), list.rows().size());
        }
    }

    /**
     * What a row with a problem of form names that only the terminology can judge: its 指定区分 (null when empty),
     * 専門分野 and 二次医療圏 as written ("" when empty). Checked all the same, a bad date and an unknown role in one row
     * are reported together rather than the role only once the date is fixed.
     */
    public record Named(int row, String role, String field, String secondaryArea) {
    }

    public ReadResult {
        problems = List.copyOf(problems);
        namedByRowsWithProblems = List.copyOf(namedByRowsWithProblems);
        if ((list == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("a result carries either a list or problems, not both or neither");
        }
    }

    static ReadResult of(DesignationList list) {
        return new ReadResult(list, List.of(), Read.of(list), null, List.of());
    }

    /** A file that could not be read at all. */
    static ReadResult rejected(List<ImportProblem> problems) {
        return rejected(problems, Read.NOTHING);
    }

    static ReadResult rejected(List<ImportProblem> problems, Read read) {
        return rejected(problems, read, null, List.of());
    }

    static ReadResult rejected(List<ImportProblem> problems, Read read, DesignationList wellFormed, List<Named> namedByRowsWithProblems) {
        return new ReadResult(null, problems, read, wellFormed, namedByRowsWithProblems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
