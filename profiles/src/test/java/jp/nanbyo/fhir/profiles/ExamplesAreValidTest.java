package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example shipped in the package validates, against the profiles it claims, with no error. (A
 * claimed profile the validator cannot find is itself an error, so none is silently skipped.) The
 * warnings they still get are listed, with the reason we accept each, in docs/conformance.md.
 */
class ExamplesAreValidTest {

    @TestFactory
    Stream<DynamicTest> everyExampleInThePackageValidatesWithoutErrors() {
        List<Resource> examples = PackageContents.INSTANCE.examples();
        assertThat(examples).isNotEmpty();
        return examples.stream().map(example -> DynamicTest.dynamicTest(PackageContents.describe(example), () -> {
            assertThat(example.getMeta().getProfile()).as("meta.profile of " + PackageContents.describe(example)).isNotEmpty();
            List<SingleValidationMessage> messages = NanbyoValidator.validate(example);
            assertThat(NanbyoValidator.errors(messages))
                    .as("errors of %s:%s", PackageContents.describe(example), NanbyoValidator.format(messages))
                    .isEmpty();
        }));
    }
}
