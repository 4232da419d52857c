package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our profiles and search parameters are themselves valid FHIR R4 (the server's installer and
 * search-parameter registry take them as they are). Extension definitions are left out: HAPI 8.8's
 * validator cannot regenerate the snapshot of any extension definition offline, HL7's own included
 * ("Unable to resolve package id hl7.fhir.r4.core#null", after trying packages2.fhir.org); the
 * extensions are exercised by every example that uses them instead.
 */
class DefinitionsAreValidTest {

    @TestFactory
    Stream<DynamicTest> everyProfileAndSearchParameterValidatesWithoutErrors() {
        List<Resource> definitions = PackageContents.INSTANCE.conformanceResources().stream()
                .filter(r -> r instanceof SearchParameter
                        || r instanceof StructureDefinition sd && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE)
                .toList();
        assertThat(definitions).isNotEmpty();
        return definitions.stream().map(definition -> DynamicTest.dynamicTest(PackageContents.describe(definition), () -> {
            List<SingleValidationMessage> messages = NanbyoValidator.validate(definition);
            assertThat(NanbyoValidator.errors(messages))
                    .as("errors of %s:%s", PackageContents.describe(definition), NanbyoValidator.format(messages))
                    .isEmpty();
        }));
    }
}
