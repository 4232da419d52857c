package jp.nanbyo.fhir.routes.matchmaker;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Reference;

/** Observations as a referring hospital records them: HPO findings and gene findings of one patient. */
final class TestObservations {

    private TestObservations() {
    }

    /** A phenotypic feature with HPO in {@code code} (the HL7 system URI), no value: present. */
    static Observation hpo(String code, String display) {
        return hpo(MatchRequestMapper.HPO, code, display);
    }

    static Observation hpo(String system, String code, String display) {
        return new Observation().setStatus(ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(system, code, display)))
                .setSubject(new Reference("Patient/1001").setDisplay("難病 太郎"));
    }

    /** A gene finding: component Gene studied (HGNC) and, unless null, Allelic state. */
    static Observation gene(String hgncId, String symbol, String allelicState) {
        Observation observation = new Observation().setStatus(ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(MatchRequestMapper.LOINC, "69548-6", "Genetic variant assessment")))
                .setSubject(new Reference("Patient/1001"));
        observation.addComponent()
                .setCode(new CodeableConcept(new Coding(MatchRequestMapper.LOINC, MatchRequestMapper.GENE_STUDIED, "Gene studied [ID]")))
                .setValue(new CodeableConcept(new Coding(MatchRequestMapper.HGNC, hgncId, symbol)));
        if (allelicState != null) {
            observation.addComponent()
                    .setCode(new CodeableConcept(new Coding(MatchRequestMapper.LOINC, MatchRequestMapper.ALLELIC_STATE, "Allelic state")))
                    .setValue(new CodeableConcept(new Coding(MatchRequestMapper.LOINC, allelicState, null)));
        }
        return observation;
    }
}
