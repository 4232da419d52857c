package jp.nanbyo.fhir.terminology;

import static jp.nanbyo.fhir.terminology.PropertyColumn.bool;
import static jp.nanbyo.fhir.terminology.PropertyColumn.code;
import static jp.nanbyo.fhir.terminology.PropertyColumn.codeOf;
import static jp.nanbyo.fhir.terminology.PropertyColumn.codesByDisplay;
import static jp.nanbyo.fhir.terminology.PropertyColumn.integer;
import static jp.nanbyo.fhir.terminology.PropertyColumn.string;
import static jp.nanbyo.fhir.terminology.PropertyColumn.strings;

import java.util.List;
import jp.nanbyo.fhir.terminology.CodeSystemTable.Columns;
import jp.nanbyo.fhir.terminology.CodeSystemTable.Source;

/**
 * Every code system and concept map we generate, in one place: id, title, sources (the CSV files in
 * {@code src/main/csv}, described in SOURCES.md there), columns and properties. Adding a concept is a CSV row;
 * adding a table is one definition here. Tables that others refer to come first.
 */
final class TerminologyTables {

    private static final String NANDO = "English names and NANDO ids: NANDO 1.0.0 (DBCLS), CC-BY-4.0.";

    static final CodeSystemTable PREFECTURE = new CodeSystemTable("jp-prefecture-no",
            "都道府県番号 (Prefecture numbers, JIS X 0401)", """
            A copy of JP Core's code system of prefecture numbers (codes "01".."47", JIS X 0401), shipped in this \
            package because JP Core's package cannot be downloaded in our build; it keeps JP Core's URL, so codes \
            stay interchangeable, and it is replaced by JP Core's own when that can be installed. Source: github \
            dataofjapan/land (from soumu.go.jp 全国地方公共団体コード), full names cross-checked against github \
            ohwada/World_Countries. Property `lg-code` is the 6-digit 地方公共団体コード whose check digit we \
            computed (JIS X 0402, modulus 11; spot-checked); `region` is the conventional grouping, not a legal one. \
            Confidence: high.""",
            "Prefecture numbers and names are public administrative facts (JIS X 0401, 全国地方公共団体コード).",
            List.of(Source.byColumn("prefectures.csv", "code")), new Columns("name_ja", "name_en", null),
            List.of(string("lg-code", "lg_code_6", "全国地方公共団体コード (6 digits, with check digit)"),
                    string("region", "region_ja", "地方 (conventional region)")))
            .withSystemUrl(JpCoreSystems.PREFECTURE_NO, "nanbyo-prefecture");

    static final CodeSystemTable DISEASE_FIELD = CodeSystemTable.handWritten("nanbyo-disease-field",
            "disease-fields.csv", "疾患群・専門分野 (Disease fields)", """
            The 14 disease groups (疾患群) under which 難病情報センター (nanbyou.or.jp) files the 指定難病; they \
            classify the 指定難病 (property `disease-field` of nanbyo-shitei-nanbyo) and name the fields (専門分野) \
            of 難病診療分野別拠点病院. Japanese names are nanbyou.or.jp's as of 2025-04; codes and English names \
            are ours (hand-written, 2026-11).""");

    static final CodeSystemTable DESIGNATION_ROLE = CodeSystemTable.handWritten("nanbyo-designation-role",
            "designation-roles.csv", "指定区分 (Designation roles)", """
            Roles in which a prefecture designates (指定) an institution in its rare-disease care network \
            (難病医療提供体制), after the MHLW reference model and the prefectures' lists on nanbyou.or.jp. \
            Property `scope` says whether a role exists in every prefecture (`national`) or in one only \
            (`prefecture-specific`, with `prefecture`); a prefecture adds a role of its own as one row of \
            designation-roles.csv. Hand-written, 2026-11.""",
            code("scope", "scope", "national | prefecture-specific"),
            codeOf("prefecture", "prefecture", PREFECTURE,
                    "The one prefecture that uses a prefecture-specific role (code of " + JpCoreSystems.PREFECTURE_NO
                            + ")"));

    static final CodeSystemTable SHITEI_NANBYO = new CodeSystemTable("nanbyo-shitei-nanbyo",
            "指定難病 (Designated intractable diseases)", """
            The 348 指定難病 in force from 2025-04-01; code = 告示番号 without padding ("1".."348"), display = \
            告示名. Sources: MHLW 指定難病病名一覧表 (https://www.mhlw.go.jp/content/001438428.xlsx) as transcribed \
            in github 136s/intractable-disease @e2b66457; 疾患群 and nanbyou.or.jp pages as scraped there \
            (2025-04-19); English names and NANDO ids from NANDO 1.0.0 (2023-11-27). Confidence: numbers and \
            Japanese names high; English names of 1–338 high (NANDO); English names of 339–348 UNVERIFIED \
            (unofficial translations; these diseases are not in NANDO 1.0.0, nor have they a NANDO id).""",
            "Disease numbers and names: MHLW public notice. Transcription: 136s/intractable-disease, CC-BY-4.0. "
                    + NANDO,
            List.of(Source.byColumn("shitei-nanbyo.csv", "no")), new Columns("name_ja", "name_en", null),
            List.of(codesByDisplay("disease-field", "disease_group_ja", DISEASE_FIELD,
                            "疾患群 of 難病情報センター, one or more (code of nanbyo-disease-field)"),
                    string("nando", "nando_id", "NANDO id (1–338 only)"),
                    string("nanbyou-url", "nanbyou_url", "The disease's page at 難病情報センター")));

    static final CodeSystemTable SHOMAN_DISEASE_GROUP = new CodeSystemTable("nanbyo-shoman-disease-group",
            "小児慢性特定疾病 疾患群 (Pediatric chronic specified disease groups)", """
            The 16 disease groups (疾患群) of 小児慢性特定疾病, codes "01".."16" as in shouman.jp's group index \
            (fetched 2026-09-22); English names and NANDO ids from NANDO 1.0.0 (2023-11-27). Confidence: high; the \
            date each group was introduced is unverified.""",
            NANDO, List.of(Source.byColumn("shoman-disease-groups.csv", "group_no")),
            new Columns("name_ja", "name_en", null), List.of(string("nando", "nando_id", "NANDO id")));

    static final CodeSystemTable SHOMAN_DISEASE = new CodeSystemTable("nanbyo-shoman-disease",
            "小児慢性特定疾病 (Pediatric chronic specified diseases, 2021 snapshot)", """
            小児慢性特定疾病 entries, diseases and 包括病名 (umbrella entries, property `umbrella`), as captured in \
            NANDO 1.0.0 (aidrd/nando, 2023-11-27; its sources are MHLW and shouman.jp pages accessed 2020-07 plus \
            some 2021 additions). Code = shouman.jp's group_大分類_細分類 (e.g. `01_01_001`); `kokuji-no` is the \
            告示番号 within the group. This is a snapshot, NOT the current 告示 list (788 diseases plus 包括病名 \
            from 2021-11, later additions missing), hence the version "2021-snapshot". Confidence: medium.""",
            "Disease list: MHLW public notice via shouman.jp. " + NANDO,
            List.of(Source.byColumn("shoman-diseases-nando.csv", "shouman_code")),
            new Columns("name_ja", "name_en", null),
            List.of(codeOf("group", "group_no", SHOMAN_DISEASE_GROUP,
                            "疾患群 (code of nanbyo-shoman-disease-group)"),
                    integer("kokuji-no", "kokuji_no", "告示番号 within the group"),
                    bool("umbrella", "is_umbrella", "包括病名: an umbrella entry (name contains ほか)"),
                    string("nando", "nando_id", "NANDO id")))
            .withVersion("2021-snapshot");

    static final CodeSystemTable SECONDARY_MEDICAL_AREA = new CodeSystemTable("nanbyo-secondary-medical-area",
            "二次医療圏 (Secondary medical areas)", """
            二次医療圏, code = 4 digits: prefecture (2) + sequence (2). VERIFIED: the 35 codes of Hokkaido \
            (0101–0121), Aomori (0201–0206) and Iwate (0301–0308), from e-Stat 医療施設調査 平成29年 (2017-10-01) \
            閲覧第15表, 第7次医療計画 era; Iwate's 9th area (二戸) was cut off in our copy and is missing. NOT \
            VERIFIED: Gunma's 10 areas 1001–1010 are our own numbering (prefecture 10 + order in 群馬県保健医療計画), \
            pending the MHLW code; their names and member municipalities (property `municipality`, 35 in all) \
            are verified (日医総研 JMAP, MHLW 資料, dr-10.com). Other prefectures are not available yet.""",
            "Area names and codes are public administrative facts (e-Stat, 医療計画).",
            List.of(new Source("gunma-secondary-medical-areas.csv",
                            row -> row.get("pref_code") + "%02d".formatted(Integer.parseInt(row.get("plan_order")))),
                    Source.byColumn("secondary-medical-areas-estat2017-partial.csv", "area_code")),
            new Columns("area_name", null, null),
            List.of(codeOf("prefecture", "pref_code", PREFECTURE, "都道府県 (code of " + JpCoreSystems.PREFECTURE_NO + ")"),
                    strings("municipality", "municipalities", "A member municipality (Gunma only)")));

    static final CodeSystemTable SERVICE_TYPE = CodeSystemTable.handWritten("nanbyo-service-type",
            "service-types.csv", "サービス種別 (Service types)", """
            What an institution offers in the rare-disease network (HealthcareService.type), after the four aims of \
            the MHLW reference model. Hand-written, 2026-11.""");

    static final CodeSystemTable REFERRAL_CATEGORY = CodeSystemTable.handWritten("nanbyo-referral-category",
            "referral-categories.csv", "紹介区分 (Referral categories)", """
            Kinds of referral (ServiceRequest.category) within the network and to the national level, after the \
            arrows of the MHLW reference model (紹介, 逆紹介, 問い合わせ・紹介). Hand-written, 2026-11.""");

    static final CodeSystemTable ORGANIZATION_TYPE = CodeSystemTable.handWritten("nanbyo-organization-type",
            "organization-types.csv", "組織種別 (Organization types)", """
            Kinds of Organization in the network's directory (Organization.type); each has a profile of its own. \
            Hand-written, 2026-11.""");

    static final CodeSystemTable JURISDICTION_LEVEL = CodeSystemTable.handWritten("nanbyo-jurisdiction-level",
            "jurisdiction-levels.csv", "管轄区域の階層 (Jurisdiction levels)", """
            Levels of the jurisdiction Locations, chained by Location.partOf from municipality up to prefecture. \
            Hand-written, 2026-11.""");

    static final CodeSystemTable REFERRAL_BUSINESS_STATUS = CodeSystemTable.handWritten(
            "nanbyo-referral-business-status", "referral-business-statuses.csv",
            "紹介の対応状況 (Referral business statuses)", """
            Task.businessStatus of a referral's Task: where the referral stands in the receiving institution's \
            work, finer than Task.status. Hand-written, 2026-11.""");

    static final CodeSystemTable DELIVERY_METHOD = CodeSystemTable.handWritten("nanbyo-delivery-method",
            "delivery-methods.csv", "提供方法 (Delivery methods)", """
            How a service is delivered, in person or online (after Da Vinci Plan-Net's delivery method). \
            Hand-written, 2026-11.""");

    static final CodeSystemTable ENDPOINT_CONNECTION_TYPE = CodeSystemTable.handWritten(
            "nanbyo-endpoint-connection-type", "endpoint-connection-types.csv", "接続種別 (Endpoint connection types)",
            """
            Endpoint.connectionType codes that HL7's endpoint-connection-type code system lacks; FHIR REST \
            endpoints use HL7's `hl7-fhir-rest`. Hand-written, 2026-11.""");

    static final CodeSystemTable CARE_FINDER_REASON = CodeSystemTable.handWritten("nanbyo-care-finder-reason",
            "care-finder-reasons.csv", "候補の理由 (Care finder reasons)", """
            Why the care finder ($find-care) proposes an institution: each candidate in its answer carries the \
            reasons that ranked it, one code per ranking rule (docs/directory.md). Hand-written, 2026-11.""");

    static final CodeSystemTable TASK_OUTPUT_TYPE = CodeSystemTable.handWritten("nanbyo-task-output-type",
            "task-output-types.csv", "Task の出力種別 (Task output types)", """
            Kinds of Task.output that the server itself adds to a referral's Task, such as the matches a Matchmaker \
            Exchange node returned (docs/integration/referral-exchange.md). Hand-written, 2026-11.""");

    /** In generation order: a table comes after the tables its properties refer to. */
    static final List<CodeSystemTable> CODE_SYSTEMS = List.of(PREFECTURE, DISEASE_FIELD, DESIGNATION_ROLE,
            SHITEI_NANBYO, SHOMAN_DISEASE_GROUP, SHOMAN_DISEASE, SECONDARY_MEDICAL_AREA, SERVICE_TYPE,
            REFERRAL_CATEGORY, ORGANIZATION_TYPE, JURISDICTION_LEVEL, REFERRAL_BUSINESS_STATUS, DELIVERY_METHOD,
            ENDPOINT_CONNECTION_TYPE, CARE_FINDER_REASON, TASK_OUTPUT_TYPE);

    private static final String DERIVED_PURPOSE = """
            For search and research linkage only. The mappings are derived, not official: neither the MHLW nor the \
            target's publisher maintains them. Do not use them for eligibility, billing or reporting.""";

    static final ConceptMapTable SHITEI_NANBYO_TO_ORPHA = new ConceptMapTable("nanbyo-shitei-nanbyo-to-orpha",
            "指定難病 → Orphanet (derived, not official)", SHITEI_NANBYO, "http://www.orpha.net",
            "http://www.orpha.net", "orpha_via_mondo", "ORPHA:", """
            Orphanet codes of the 指定難病, derived, NOT an official mapping. For 1–338 they were derived via \
            NANDO 1.0.0 (closeMatch) → MONDO (exactMatch) → MONDO's ORPHA cross-references (monarch-initiative/mondo \
            @fad2512b, 2026-08-21). For 339–348, which are not in NANDO 1.0.0, they are an UNVERIFIED match of the \
            name to an Orphanet label. A 指定難病 may map to several ORPHA codes and an ORPHA code to several \
            指定難病; diseases without a derived code are left out. Target codes are Orphanet numbers without the \
            "ORPHA:" prefix; Orphanet publishes no FHIR value set, so the target URI is its system.""",
            DERIVED_PURPOSE + " The ORPHA codes of 339–348 are UNVERIFIED.",
            "ORPHA codes: Orphanet nomenclature (INSERM), CC-BY-4.0. MONDO mappings: CC0. NANDO: CC-BY-4.0 (DBCLS).");

    static final ConceptMapTable SHITEI_NANBYO_TO_ICD10 = new ConceptMapTable("nanbyo-shitei-nanbyo-to-icd10",
            "指定難病 → ICD-10 (derived, not official)", SHITEI_NANBYO, "http://hl7.org/fhir/sid/icd-10",
            "http://hl7.org/fhir/ValueSet/icd-10", "icd10who_via_mondo", "", """
            ICD-10 (WHO) codes of the 指定難病 where MONDO has one, derived, NOT an official mapping: NANDO 1.0.0 \
            (closeMatch) → MONDO (exactMatch) → MONDO's ICD-10 (WHO) cross-references (monarch-initiative/mondo \
            @fad2512b, 2026-08-21). Few diseases have one; the others are left out.""",
            DERIVED_PURPOSE,
            "ICD-10: © World Health Organization. MONDO mappings: CC0. NANDO: CC-BY-4.0 (DBCLS).");

    static final List<ConceptMapTable> CONCEPT_MAPS = List.of(SHITEI_NANBYO_TO_ORPHA, SHITEI_NANBYO_TO_ICD10);

    private TerminologyTables() {
    }
}
