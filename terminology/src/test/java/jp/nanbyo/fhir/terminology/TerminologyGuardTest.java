package jp.nanbyo.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.junit.jupiter.api.Test;

/**
 * Pins the reviewed tables: row counts, code stability and the key codes of docs/naming.md. When a CSV changes, this test
 * says what changed; update the expectation here only together with the review of the data.
 */
class TerminologyGuardTest {

    private final GeneratedPackage generated = GeneratedPackage.fromReviewedTables();

    @Test
    void hasExactlyThe348ShiteiNanbyoNumberedFrom1To348() {
        assertThat(generated.codes("nanbyo-shitei-nanbyo"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 348).mapToObj(String::valueOf).toList());
        assertThat(generated.codeSystem("nanbyo-shitei-nanbyo").getCount()).isEqualTo(348);
    }

    @Test
    void shiteiNanbyoDisplaysAreTheNamesOfTheCsv() throws IOException {
        List<CsvTable.Row> rows = CsvReader.read(GeneratedPackage.CSV_FOLDER.resolve("shitei-nanbyo.csv")).rows();

        assertThat(generated.codeSystem("nanbyo-shitei-nanbyo").getConcept())
                .extracting(CodeSystem.ConceptDefinitionComponent::getDisplay)
                .containsExactlyElementsOf(rows.stream().map(row -> row.get("name_ja")).toList());
    }

    @Test
    void everyShiteiNanbyoHasAtLeastOneDiseaseField() {
        List<String> fields = generated.codes("nanbyo-disease-field");

        for (String code : generated.codes("nanbyo-shitei-nanbyo")) {
            assertThat(generated.property("nanbyo-shitei-nanbyo", code, "disease-field")).as("指定難病 %s", code)
                    .isNotEmpty().allMatch(fields::contains);
        }
        assertThat(generated.property("nanbyo-shitei-nanbyo", "348", "disease-field"))
                .containsExactly("neuromuscular", "renal-urologic", "visual");
    }

    @Test
    void hasThe16ShomanGroupsAndThe813ShomanDiseasesOfThe2021Snapshot() {
        assertThat(generated.codes("nanbyo-shoman-disease-group"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 16).mapToObj("%02d"::formatted).toList());
        assertThat(generated.codes("nanbyo-shoman-disease")).hasSize(813).first().isEqualTo("01_01_001");
        assertThat(generated.codeSystem("nanbyo-shoman-disease").getVersion()).isEqualTo("2021-snapshot");
        assertThat(generated.property("nanbyo-shoman-disease", "01_01_001", "group")).containsExactly("01");
        long umbrellas = generated.codes("nanbyo-shoman-disease").stream()
                .filter(code -> generated.property("nanbyo-shoman-disease", code, "umbrella").contains("true"))
                .count();
        assertThat(umbrellas).isEqualTo(57);
    }

    @Test
    void hasThe47PrefecturesUnderJpCoresSystem() {
        CodeSystem prefectures = generated.codeSystem("jp-prefecture-no");

        assertThat(prefectures.getUrl()).isEqualTo(JpCoreSystems.PREFECTURE_NO);
        assertThat(generated.codes("jp-prefecture-no"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 47).mapToObj("%02d"::formatted).toList());
        assertThat(prefectures.getConcept().get(9).getDisplay()).isEqualTo("群馬県");
        assertThat(generated.property("jp-prefecture-no", "10", "lg-code")).containsExactly("100005");
    }

    @Test
    void hasGunmasTenAreasInPlanOrderAndThe35OfEStat() {
        List<String> codes = generated.codes("nanbyo-secondary-medical-area");

        assertThat(codes).hasSize(45).startsWith("1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008",
                "1009", "1010", "0101");
        assertThat(generated.codeSystem("nanbyo-secondary-medical-area").getConcept()).first()
                .satisfies(maebashi -> assertThat(maebashi.getDisplay()).isEqualTo("前橋"));
        assertThat(generated.property("nanbyo-secondary-medical-area", "1002", "municipality"))
                .containsExactly("渋川市", "榛東村", "吉岡町");
        long gunmaMunicipalities = codes.stream()
                .mapToLong(code -> generated.property("nanbyo-secondary-medical-area", code, "municipality").size())
                .sum();
        assertThat(gunmaMunicipalities).isEqualTo(35);
        assertThat(generated.property("nanbyo-secondary-medical-area", "0301", "prefecture")).containsExactly("03");
    }

    @Test
    void hasEveryDesignationRoleOfTheNamingTable() {
        assertThat(generated.codes("nanbyo-designation-role")).contains("hub-hospital", "field-hub-hospital",
                "cooperating-hospital", "transition-support-center", "pediatric-transition-institution",
                "consultation-support-center", "respite-admission-hospital", "long-term-care-hospital",
                "ibaraki-guidance-institution", "ehime-regional-hub-hospital");
        for (String code : generated.codes("nanbyo-designation-role")) {
            List<String> scope = generated.property("nanbyo-designation-role", code, "scope");
            List<String> prefecture = generated.property("nanbyo-designation-role", code, "prefecture");
            assertThat(scope).as(code).containsAnyOf("national", "prefecture-specific").hasSize(1);
            assertThat(prefecture).as(code).hasSize(scope.contains("national") ? 0 : 1);
        }
        assertThat(generated.property("nanbyo-designation-role", "ibaraki-guidance-institution", "prefecture"))
                .containsExactly("08");
        assertThat(generated.property("nanbyo-designation-role", "ehime-regional-hub-hospital", "prefecture"))
                .containsExactly("38");
    }

    @Test
    void hasTheKeyCodesOfTheNamingTable() {
        assertThat(generated.codes("nanbyo-disease-field")).containsExactly("neuromuscular", "metabolic",
                "chromosomal-genetic", "cardiovascular", "immunological", "digestive", "endocrine", "hematologic",
                "renal-urologic", "respiratory", "bone-joint", "skin-connective-tissue", "visual",
                "auditory-vestibular");
        assertThat(generated.codes("nanbyo-service-type")).contains("diagnosis", "genetic-testing",
                "genetic-counselling", "transition-care", "respite-admission", "long-term-inpatient-care",
                "consultation", "education-training", "home-care-support", "work-support");
        assertThat(generated.codes("nanbyo-referral-category")).contains("referral", "back-referral",
                "genetic-test-request", "national-network-inquiry", "transition-referral", "irud-referral");
        assertThat(generated.codes("nanbyo-organization-type")).contains("hospital", "clinic",
                "prefecture-government", "prefecture-network", "council", "support-center", "public-health-center",
                "national-body");
        assertThat(generated.codes("nanbyo-jurisdiction-level")).contains("prefecture", "tertiary-area",
                "secondary-area", "municipality");
        assertThat(generated.codes("nanbyo-referral-business-status")).contains("received", "accepted", "declined",
                "scheduled", "in-progress", "completed", "cancelled");
        assertThat(generated.codes("nanbyo-delivery-method")).contains("in-person", "online");
        assertThat(generated.codes("nanbyo-endpoint-connection-type")).contains("matchmaker-exchange");
    }

    @Test
    void noCodeIsUsedTwiceInAnyCodeSystem() {
        generated.byFileName().values().stream().filter(CodeSystem.class::isInstance).map(CodeSystem.class::cast)
                .forEach(codeSystem -> {
                    Set<String> seen = new HashSet<>();
                    assertThat(codeSystem.getConcept()).as(codeSystem.getId())
                            .allMatch(concept -> seen.add(concept.getCode()));
                    assertThat(codeSystem.getCount()).as(codeSystem.getId()).isEqualTo(seen.size());
                });
    }

    @Test
    void conceptMapsSayTheirMappingsAreDerivedNotOfficial() {
        for (String id : List.of("nanbyo-shitei-nanbyo-to-orpha", "nanbyo-shitei-nanbyo-to-icd10")) {
            ConceptMap map = generated.conceptMap(id);
            assertThat(map.getDescription()).as(id).contains("derived", "NOT an official mapping");
            assertThat(map.getPurpose()).as(id).contains("derived, not official");
            assertThat(map.getGroupFirstRep().getElement()).as(id).allSatisfy(element -> assertThat(element.getTarget())
                    .allSatisfy(target -> {
                        assertThat(target.getEquivalence()).isEqualTo(ConceptMapEquivalence.RELATEDTO);
                        assertThat(target.getComment()).contains("not an official mapping");
                    }));
        }
    }

    @Test
    void orphaCodesAreNumbersAndThoseOf339To348AreMarkedUnverified() {
        ConceptMap map = generated.conceptMap("nanbyo-shitei-nanbyo-to-orpha");

        assertThat(map.getPurpose()).contains("339–348 are UNVERIFIED");
        assertThat(map.getGroupFirstRep().getTarget()).isEqualTo("http://www.orpha.net");
        assertThat(map.getGroupFirstRep().getElement()).hasSize(274).allSatisfy(element -> {
            boolean unverified = Integer.parseInt(element.getCode()) >= 339;
            assertThat(element.getTarget()).extracting(TargetElementComponent::getCode)
                    .allMatch(code -> code.matches("\\d+"));
            assertThat(element.getTarget()).extracting(TargetElementComponent::getComment).allMatch(
                    comment -> comment.startsWith(unverified ? "UNVERIFIED" : "derived via NANDO→MONDO"));
        });
        assertThat(map.getGroupFirstRep().getElement().get(0).getTarget())
                .extracting(TargetElementComponent::getCode).containsExactly("481", "206701");
    }

    @Test
    void icd10MapHasTheTwelveCodesMondoGives() {
        ConceptMap map = generated.conceptMap("nanbyo-shitei-nanbyo-to-icd10");

        assertThat(map.getGroupFirstRep().getTarget()).isEqualTo("http://hl7.org/fhir/sid/icd-10");
        assertThat(map.getGroupFirstRep().getElement()).hasSize(12).first()
                .satisfies(parkinson -> {
                    assertThat(parkinson.getCode()).isEqualTo("6");
                    assertThat(parkinson.getTargetFirstRep().getCode()).isEqualTo("G20");
                });
    }
}
