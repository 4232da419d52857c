package jp.nanbyo.fhir.routes.matchmaker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;

/**
 * Builds the Matchmaker Exchange {@code /match} request (API v1.0, {@code ga4gh/mme-apis} search-api.md) for one
 * referred patient from the phenotype and gene findings recorded as FHIR Observations.
 *
 * <p>What leaves our network is decided here and only here: the pseudonym as {@code patient.id}, the contact, the
 * sex, species, HPO features and candidate genes. No {@code label}, no name, birth date, identifier, reference or
 * free text of an Observation is copied, because a matchmaker shows the record to every other clinician who
 * matches it.
 *
 * <p>Recognised Observations:
 * <ul>
 * <li>a phenotypic feature coded in {@code Observation.code} with HPO (either of the two system URIs in use);
 * <li>the same feature wrapped as {@code code} = LOINC {@value #ASSOCIATED_PHENOTYPE} "Associated phenotype" (the
 *     code HL7's Genomics Reporting IG uses for a phenotype) with the HPO coding in {@code valueCodeableConcept};
 * <li>a gene finding: a {@code component} LOINC {@value #GENE_STUDIED} "Gene studied [ID]" with an HGNC coding,
 *     and optionally {@value #ALLELIC_STATE} "Allelic state" for the zygosity.
 * </ul>
 * A feature is sent as {@code "observed": "no"} when the Observation says it was looked for and is absent
 * ({@code valueBoolean} false, the LOINC answer "Absent" LA9634-2 or SNOMED CT 2667000 as value, or the
 * interpretation NEG/ND); otherwise as {@code "yes"}. Observations entered in error or cancelled carry no finding
 * and are skipped.
 */
public final class MatchRequestMapper {

    /** The HL7-registered HPO system URI. */
    public static final String HPO = "http://human-phenotype-ontology.org";
    /** The OBO PURL, which some phenopacket-derived data carries instead. */
    public static final String HPO_OBO = "http://purl.obolibrary.org/obo/hp.owl";
    public static final String LOINC = "http://loinc.org";
    public static final String HGNC = "http://www.genenames.org/geneId";
    public static final String ASSOCIATED_PHENOTYPE = "81259-4";
    public static final String GENE_STUDIED = "48018-6";
    public static final String ALLELIC_STATE = "53034-5";
    /** NCBI taxon of our patients, sent explicitly although it is the API's default. */
    static final String HUMAN = "NCBITaxon:9606";

    private static final String SNOMED = "http://snomed.info/sct";
    private static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final Map<String, Integer> ZYGOSITY = Map.of(
            "LA6706-1", 1, // heterozygous
            "LA6707-9", 1, // hemizygous: one copy, MME counts it as 1
            "LA6705-3", 2); // homozygous

    /**
     * Who the other node's clinicians contact about a match: our network's desk, never the patient.
     *
     * @param href a {@code mailto:} or https URL (MME requires one)
     * @param institution may be null
     */
    public record Contact(String name, String institution, String href) {

        public Contact {
            if (name == null || name.isBlank() || href == null || !href.matches("(?i)(mailto:|https?://).+")) {
                throw new IllegalArgumentException("An MME contact needs a name and a mailto: or http(s) URL");
            }
        }
    }

    private final JsonNodeFactory json = JsonNodeFactory.instance;

    /**
     * The {@code /match} request body, or empty when the Observations hold no HPO feature and no gene: then there
     * is nothing to match and no request should be sent.
     *
     * @param pseudonym the patient's pseudonym for this exchange (MME {@code patient.id}, at most 255 characters)
     * @param gender the administrative gender, sent as MME {@code sex} (MALE, FEMALE, OTHER); null or unknown: left out
     */
    public Optional<ObjectNode> toMatchRequest(String pseudonym, Contact contact, AdministrativeGender gender,
            List<Observation> observations) {
        if (pseudonym == null || pseudonym.isBlank() || pseudonym.length() > 255) {
            throw new IllegalArgumentException("The MME patient id must be a pseudonym of 1 to 255 characters");
        }
        Map<String, ObjectNode> features = new LinkedHashMap<>();
        Map<String, ObjectNode> genes = new LinkedHashMap<>();
        for (Observation observation : observations) {
            if (observation.getStatus() == ObservationStatus.ENTEREDINERROR
                    || observation.getStatus() == ObservationStatus.CANCELLED) {
                continue;
            }
            hpoFeature(observation).ifPresent(feature -> features.putIfAbsent(feature.get("id").asText(), feature));
            if (!absent(observation)) {
                geneFeature(observation).ifPresent(gene -> genes.putIfAbsent(gene.at("/gene/id").asText(), gene));
            }
        }
        if (features.isEmpty() && genes.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode patient = json.objectNode();
        patient.put("id", pseudonym);
        ObjectNode contactNode = patient.putObject("contact").put("name", contact.name());
        if (contact.institution() != null && !contact.institution().isBlank()) {
            contactNode.put("institution", contact.institution());
        }
        contactNode.put("href", contact.href());
        patient.put("species", HUMAN);
        sex(gender).ifPresent(sex -> patient.put("sex", sex));
        if (!features.isEmpty()) {
            patient.putArray("features").addAll(features.values());
        }
        if (!genes.isEmpty()) {
            patient.putArray("genomicFeatures").addAll(genes.values());
        }
        ObjectNode request = json.objectNode();
        request.set("patient", patient);
        return Optional.of(request);
    }

    private Optional<ObjectNode> hpoFeature(Observation observation) {
        Optional<Coding> hpo = hpoCoding(observation.getCode());
        if (hpo.isEmpty() && hasCoding(observation.getCode(), LOINC, ASSOCIATED_PHENOTYPE)
                && observation.hasValueCodeableConcept()) {
            hpo = hpoCoding(observation.getValueCodeableConcept());
        }
        return hpo.map(coding -> {
            ObjectNode feature = json.objectNode().put("id", coding.getCode());
            if (coding.hasDisplay()) {
                feature.put("label", coding.getDisplay());
            }
            return feature.put("observed", absent(observation) ? "no" : "yes");
        });
    }

    private Optional<ObjectNode> geneFeature(Observation observation) {
        ObservationComponentComponent gene = component(observation, GENE_STUDIED);
        if (gene == null || !gene.hasValueCodeableConcept()) {
            return Optional.empty();
        }
        Optional<Coding> hgnc = gene.getValueCodeableConcept().getCoding().stream()
                .filter(coding -> HGNC.equals(coding.getSystem()) && (coding.hasDisplay() || coding.hasCode()))
                .findFirst();
        return hgnc.map(coding -> {
            ObjectNode feature = json.objectNode();
            feature.putObject("gene").put("id", coding.hasDisplay() ? coding.getDisplay() : coding.getCode());
            ObservationComponentComponent allelicState = component(observation, ALLELIC_STATE);
            if (allelicState != null && allelicState.hasValueCodeableConcept()) {
                allelicState.getValueCodeableConcept().getCoding().stream()
                        .filter(answer -> LOINC.equals(answer.getSystem()) && ZYGOSITY.containsKey(answer.getCode()))
                        .findFirst()
                        .ifPresent(state -> feature.put("zygosity", ZYGOSITY.get(state.getCode())));
            }
            return feature;
        });
    }

    /** The Observation says the finding was looked for and is not there. */
    private static boolean absent(Observation observation) {
        if (observation.hasValueBooleanType()) {
            return !observation.getValueBooleanType().booleanValue();
        }
        if (observation.hasValueCodeableConcept()) {
            CodeableConcept value = observation.getValueCodeableConcept();
            if (hasCoding(value, LOINC, "LA9634-2") || hasCoding(value, SNOMED, "2667000")) {
                return true;
            }
        }
        return observation.getInterpretation().stream()
                .anyMatch(interpretation -> hasCoding(interpretation, INTERPRETATION, "NEG")
                        || hasCoding(interpretation, INTERPRETATION, "ND"));
    }

    private static Optional<Coding> hpoCoding(CodeableConcept concept) {
        return concept.getCoding().stream()
                .filter(coding -> Set.of(HPO, HPO_OBO).contains(coding.getSystem()))
                .filter(coding -> coding.hasCode() && coding.getCode().matches("HP:\\d{7}"))
                .findFirst();
    }

    private static ObservationComponentComponent component(Observation observation, String loincCode) {
        return observation.getComponent().stream()
                .filter(component -> hasCoding(component.getCode(), LOINC, loincCode))
                .findFirst().orElse(null);
    }

    private static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream()
                .anyMatch(coding -> system.equals(coding.getSystem()) && code.equals(coding.getCode()));
    }

    /** MME's {@code sex} is genetic sex; the administrative gender is the best we hold, and only its clear values go. */
    private static Optional<String> sex(AdministrativeGender gender) {
        if (gender == null) {
            return Optional.empty();
        }
        return switch (gender) {
            case MALE -> Optional.of("MALE");
            case FEMALE -> Optional.of("FEMALE");
            case OTHER -> Optional.of("OTHER");
            default -> Optional.empty();
        };
    }
}
