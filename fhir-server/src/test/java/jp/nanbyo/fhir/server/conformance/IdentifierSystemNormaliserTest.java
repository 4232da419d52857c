package jp.nanbyo.fhir.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

class IdentifierSystemNormaliserTest {

    private final IdentifierSystemNormaliser normaliser = new IdentifierSystemNormaliser(FhirContext.forR4Cached());

    @Test
    void normalisesAParsedResource() {
        Organization parsed = FhirContext.forR4Cached().newJsonParser().parseResource(Organization.class,
                "{\"resourceType\":\"Organization\",\"identifier\":[{\"system\":\"urn:oid:1.2.392.100495.20.3.23\",\"value\":\"7010016\"}]}");

        normaliser.created(parsed);

        assertThat(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(parsed))
                .contains(JpCoreSystems.INSURANCE_MEDICAL_INSTITUTION_NO).doesNotContain("urn:oid");
    }

    @Test
    void storesJpCoreOidSystemsInTheirUrlForm() {
        Organization hospital = new Organization();
        hospital.addIdentifier().setSystem("urn:oid:1.2.392.100495.20.3.23").setValue("7010016");
        hospital.addIdentifier().setSystem(JpCoreSystems.MEDICAL_INSTITUTION_CODE).setValue("1017010016");
        hospital.addExtension("http://nanbyo.jp/fhir/StructureDefinition/nanbyo-prefecture",
                new org.hl7.fhir.r4.model.Coding("urn:oid:1.2.392.100495.20.3.21", "10", null));

        normaliser.created(hospital);

        assertThat(hospital.getIdentifier()).extracting(Identifier::getSystem)
                .containsExactly(JpCoreSystems.INSURANCE_MEDICAL_INSTITUTION_NO, JpCoreSystems.MEDICAL_INSTITUTION_CODE);
        assertThat(((org.hl7.fhir.r4.model.Coding) hospital.getExtension().get(0).getValue()).getSystem())
                .isEqualTo(JpCoreSystems.PREFECTURE_NO);
    }
}
