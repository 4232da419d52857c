package jp.nanbyo.fhir.routes.designation;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** One prefecture's complete list of designations as of its reference date (基準日). */
public record DesignationList(String prefectureCode, LocalDate referenceDate, List<DesignationRow> rows) {

    public DesignationList {
        Objects.requireNonNull(prefectureCode, "prefectureCode");
        Objects.requireNonNull(referenceDate, "referenceDate");
        rows = List.copyOf(rows);
    }
}
