package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every must-fail example fails validation with the rule its table row names, at the location named. */
class MustFailExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyMustFailExampleBreaksItsNamedRuleAtItsLocation() {
        return MustFailExamples.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            List<SingleValidationMessage> messages = NanbyoValidator.validate(c.json());
            List<SingleValidationMessage> errors = NanbyoValidator.errors(messages);
            assertThat(errors)
                    .as("%s: expected an error '%s' at %s; the validator said:%s", c.file(), c.rule(), c.location(),
                            NanbyoValidator.format(messages))
                    .anySatisfy(error -> {
                        assertThat(error.getMessage()).contains(c.isInvariant() ? c.rule() + ":" : c.rule());
                        assertThat(error.getLocationString()).isEqualTo(c.location());
                    });
        }));
    }
}
