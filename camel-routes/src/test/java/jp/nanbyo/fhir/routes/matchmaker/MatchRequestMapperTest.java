package jp.nanbyo.fhir.routes.matchmaker;

import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.gene;
import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.hpo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import jp.nanbyo.fhir.routes.matchmaker.MatchRequestMapper.Contact;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class MatchRequestMapperTest {

    static final Contact CONTACT = new Contact("難病診療連携拠点病院 連携窓口", "群馬大学医学部附属病院",
            "mailto:mme@nanbyo.example.jp");

    final MatchRequestMapper mapper = new MatchRequestMapper();

    @Test
    void sendsAFeatureAsObservedUnlessTheObservationSaysItIsAbsent() {
        Observation present = hpo("HP:0001250", "Seizure");
        Observation falseValue = hpo("HP:0001263", "Global developmental delay").setValue(new BooleanType(false));
        Observation loincAbsent = hpo("HP:0004322", "Short stature")
                .setValue(new CodeableConcept(new Coding("http://loinc.org", "LA9634-2", "Absent")));
        Observation negative = hpo("HP:0000252", "Microcephaly");
        negative.addInterpretation(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "NEG", "Negative")));
        Observation trueValue = hpo("HP:0001252", "Hypotonia").setValue(new BooleanType(true));

        JsonNode patient = patient(List.of(present, falseValue, loincAbsent, negative, trueValue));

        assertThat(observed(patient)).containsExactly("HP:0001250=yes", "HP:0001263=no", "HP:0004322=no",
                "HP:0000252=no", "HP:0001252=yes");
        assertThat(patient.at("/features/0/label").asText()).isEqualTo("Seizure");
        assertThat(patient.path("species").asText()).isEqualTo("NCBITaxon:9606");
    }

    @Test
    void acceptsBothHpoSystemUris() {
        JsonNode patient = patient(List.of(
                hpo(MatchRequestMapper.HPO, "HP:0001250", "Seizure"),
                hpo(MatchRequestMapper.HPO_OBO, "HP:0004322", "Short stature"),
                hpo("http://example.org/not-hpo", "HP:0000252", "Microcephaly")));

        assertThat(observed(patient)).containsExactly("HP:0001250=yes", "HP:0004322=yes");
    }

    @Test
    void unwrapsHpoFromAnAssociatedPhenotypeObservationOnly() {
        Observation wrapped = new Observation().setStatus(ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "81259-4", "Associated phenotype")))
                .setValue(new CodeableConcept(new Coding(MatchRequestMapper.HPO_OBO, "HP:0001250", "Seizure")));
        Observation otherLoinc = new Observation().setStatus(ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "8302-2", "Body height")))
                .setValue(new CodeableConcept(new Coding(MatchRequestMapper.HPO, "HP:0004322", "Short stature")));

        assertThat(observed(patient(List.of(wrapped, otherLoinc)))).containsExactly("HP:0001250=yes");
    }

    @Test
    void mapsGeneFindingsWithTheirZygosity() {
        JsonNode patient = patient(List.of(
                gene("HGNC:12403", "TTN", "LA6706-1"),
                gene("HGNC:7577", "MYH7", "LA6705-3"),
                gene("HGNC:2928", "DMD", "LA6707-9"),
                gene("HGNC:11998", null, null)));

        JsonNode genes = patient.path("genomicFeatures");
        assertThat(genes).hasSize(4);
        assertThat(genes.at("/0/gene/id").asText()).isEqualTo("TTN");
        assertThat(genes.at("/0/zygosity").asInt()).isEqualTo(1);
        assertThat(genes.at("/1/zygosity").asInt()).isEqualTo(2);
        assertThat(genes.at("/2/zygosity").asInt()).isEqualTo(1);
        assertThat(genes.at("/3/gene/id").asText()).as("no symbol: the HGNC id").isEqualTo("HGNC:11998");
        assertThat(genes.get(3).has("zygosity")).isFalse();
        assertThat(patient.has("features")).as("no HPO finding: no features array").isFalse();
    }

    @Test
    void ignoresObservationsEnteredInError() {
        Observation wrong = hpo("HP:0001250", "Seizure").setStatus(ObservationStatus.ENTEREDINERROR);
        Observation wrongGene = gene("HGNC:12403", "TTN", null).setStatus(ObservationStatus.ENTEREDINERROR);

        assertThat(observed(patient(List.of(wrong, wrongGene, hpo("HP:0004322", "Short stature")))))
                .containsExactly("HP:0004322=yes");
        assertThat(patient(List.of(wrongGene, hpo("HP:0004322", "Short stature"))).has("genomicFeatures")).isFalse();
        assertThat(mapper.toMatchRequest("NB-7F3K2", CONTACT, null, List.of(wrong, wrongGene))).isEmpty();
    }

    @Test
    void saysThereIsNothingToMatchWithoutHpoFeaturesOrGenes() {
        Observation height = new Observation().setStatus(ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "8302-2", "Body height")))
                .setValue(new Quantity(112).setUnit("cm"));

        assertThat(mapper.toMatchRequest("NB-7F3K2", CONTACT, AdministrativeGender.FEMALE, List.of(height))).isEmpty();
        assertThat(mapper.toMatchRequest("NB-7F3K2", CONTACT, AdministrativeGender.FEMALE, List.of())).isEmpty();
    }

    @Test
    void sendsSexOnlyWhenTheGenderIsKnown() {
        List<Observation> seizure = List.of(hpo("HP:0001250", "Seizure"));

        assertThat(request(AdministrativeGender.FEMALE, seizure).at("/patient/sex").asText()).isEqualTo("FEMALE");
        assertThat(request(AdministrativeGender.MALE, seizure).at("/patient/sex").asText()).isEqualTo("MALE");
        assertThat(request(null, seizure).path("patient").has("sex")).isFalse();
        assertThat(request(AdministrativeGender.UNKNOWN, seizure).path("patient").has("sex")).isFalse();
    }

    @Test
    void refusesAContactWithoutAUrlAndAnEmptyPseudonym() {
        assertThatThrownBy(() -> new Contact("窓口", null, "03-1234-5678")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mapper.toMatchRequest(" ", CONTACT, null, List.of(hpo("HP:0001250", "Seizure"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Sent to a real node, the request carries the pseudonym and the findings, and nothing that names the patient. */
    @Test
    void noPersonalDataLeavesOurServer() throws Exception {
        Observation seizure = hpo("HP:0001250", "Seizure");
        seizure.setId("Observation/5501");
        seizure.addIdentifier().setSystem("urn:oid:1.2.392.100495.20.3.51.11234567").setValue("00012345");
        seizure.addPerformer(new Reference("Practitioner/77").setDisplay("主治医 花子"));
        seizure.addNote().setText("難病 太郎 (1990-04-01 生) 母親より聴取");
        seizure.setEncounter(new Reference("Encounter/9"));
        Observation ttn = gene("HGNC:12403", "TTN", "LA6706-1");
        ttn.setSpecimen(new Reference("Specimen/S-2025-001").setDisplay("難病 太郎 血液"));
        List<Observation> observations = new ArrayList<>(List.of(seizure, ttn));
        ObjectNode request = mapper.toMatchRequest("NB-7F3K2", CONTACT, AdministrativeGender.MALE, observations)
                .orElseThrow();

        try (MatchmakerNode node = MatchmakerNode.http("token-1")) {
            new MatchmakerClient(Duration.ofSeconds(2), Duration.ofSeconds(5), null)
                    .match(node.matchUrl(), "token-1", request);

            String sent = node.lastMatchBody();
            assertThat(sent).contains("\"id\":\"NB-7F3K2\"", "HP:0001250", "TTN", "mailto:mme@nanbyo.example.jp");
            assertThat(sent).doesNotContain("難病 太郎", "太郎", "1990", "00012345", "1001", "5501", "Patient/",
                    "Practitioner", "花子", "S-2025-001", "Encounter");
            JsonNode patient = new ObjectMapper().readTree(sent).path("patient");
            assertThat(fieldNames(patient))
                    .containsExactlyInAnyOrder("id", "contact", "species", "sex", "features", "genomicFeatures");
            assertThat(fieldNames(patient.path("features").get(0))).containsExactlyInAnyOrder("id", "label", "observed");
            assertThat(fieldNames(patient.path("genomicFeatures").get(0))).containsExactlyInAnyOrder("gene", "zygosity");
        }
    }

    private JsonNode patient(List<Observation> observations) {
        return request(null, observations).path("patient");
    }

    private ObjectNode request(AdministrativeGender gender, List<Observation> observations) {
        Optional<ObjectNode> request = mapper.toMatchRequest("NB-7F3K2", CONTACT, gender, observations);
        assertThat(request).isPresent();
        return request.get();
    }

    private static List<String> observed(JsonNode patient) {
        return StreamSupport.stream(patient.path("features").spliterator(), false)
                .map(feature -> feature.path("id").asText() + "=" + feature.path("observed").asText())
                .toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
