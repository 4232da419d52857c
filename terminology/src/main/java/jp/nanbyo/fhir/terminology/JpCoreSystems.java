package jp.nanbyo.fhir.terminology;

import java.util.Map;

/**
 * Identifier and code systems defined by JP Core 1.2.0 and the MHLW that the network uses.
 * We store the URL forms; partners may send the OID forms, which {@link #normalise} maps to them.
 */
public final class JpCoreSystems {

    /** 医療機関コード, 10 digits: prefecture (2) + fee table (1) + institution (7). */
    public static final String MEDICAL_INSTITUTION_CODE =
            "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

    /** 保険医療機関番号, 7 digits. */
    public static final String INSURANCE_MEDICAL_INSTITUTION_NO =
            "http://jpfhir.jp/fhir/core/mhlw/IdSystem/MedicalOrganizationID";

    /** 都道府県番号 (JIS X 0401, 2 digits). */
    public static final String PREFECTURE_NO = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits";

    /** 点数表番号 (1 = 医科, 3 = 歯科, …). */
    public static final String FEE_SCORE_TYPE = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType";

    /** 公費負担者番号. */
    public static final String PUBLIC_PAYER_NUMBER = "http://jpfhir.jp/fhir/core/mhlw/IdSystem/PublicPayerNumber";

    /** 公費受給者番号. */
    public static final String PUBLIC_INSURED_PERSON_NUMBER =
            "http://jpfhir.jp/fhir/core/mhlw/IdSystem/PublicInsuredPersonNumber";

    /** 診療科 (SS-MIX2). */
    public static final String CLINICAL_DEPARTMENT = "http://jami.jp/SS-MIX2/CodeSystem/ClinicalDepartment";

    private static final Map<String, String> URL_BY_OID = Map.of(
            "urn:oid:1.2.392.100495.20.3.23", INSURANCE_MEDICAL_INSTITUTION_NO,
            "urn:oid:1.2.392.100495.20.3.21", PREFECTURE_NO,
            "urn:oid:1.2.392.100495.20.3.22", FEE_SCORE_TYPE);

    private JpCoreSystems() {
    }

    /** The URL form of a system given in OID form; any other system is returned unchanged. */
    public static String normalise(String system) {
        return system == null ? null : URL_BY_OID.getOrDefault(system.trim(), system.trim());
    }
}
