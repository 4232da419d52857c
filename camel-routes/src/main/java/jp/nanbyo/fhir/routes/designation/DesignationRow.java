package jp.nanbyo.fhir.routes.designation;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One validated designation: a hospital designated in a role (and field) for a period. Text values
 * are trimmed and NFKC-normalised; optional ones are "" (or a null {@code end}) when absent.
 *
 * @param row the row number the operator sees (see {@link ImportProblem#row()})
 * @param prefectureCode "01".."47"
 * @param medicalInstitutionCode 10 digits: prefecture (2), 点数表 (1: 医科, 3: 歯科), code (7)
 * @param postalCode "371-8511" or ""
 */
public record DesignationRow(int row, String prefectureCode, String medicalInstitutionCode,
        String hospitalName, String role, String field, LocalDate start, LocalDate end,
        String secondaryArea, String postalCode, String address, String phone, String note) {

    public DesignationRow {
        Objects.requireNonNull(prefectureCode, "prefectureCode");
        Objects.requireNonNull(medicalInstitutionCode, "medicalInstitutionCode");
        Objects.requireNonNull(hospitalName, "hospitalName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(start, "start");
        field = Objects.requireNonNullElse(field, "");
        secondaryArea = Objects.requireNonNullElse(secondaryArea, "");
        postalCode = Objects.requireNonNullElse(postalCode, "");
        address = Objects.requireNonNullElse(address, "");
        phone = Objects.requireNonNullElse(phone, "");
        note = Objects.requireNonNullElse(note, "");
    }
}
