package jp.nanbyo.fhir.routes.designation;

import java.util.List;

/** Either a list (problems empty) or problems (list null). */
public record ReadResult(DesignationList list, List<ImportProblem> problems) {

    public ReadResult {
        problems = List.copyOf(problems);
        if ((list == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("a result carries either a list or problems, not both or neither");
        }
    }

    static ReadResult of(DesignationList list) {
        return new ReadResult(list, List.of());
    }

    static ReadResult rejected(List<ImportProblem> problems) {
        return new ReadResult(null, problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
