package jp.nanbyo.fhir.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's instance validator over FHIR R4 core and our package, loaded from the classpath the way the
 * server loads it; terminology in memory (our CodeSystems are in the package), nothing fetched. Built
 * once and shared by every test: building it costs seconds, validating an instance milliseconds.
 */
final class NanbyoValidator {

    static final FhirContext CONTEXT = FhirContext.forR4Cached();

    private static final FhirValidator VALIDATOR = build();

    private NanbyoValidator() {
    }

    private static FhirValidator build() {
        NpmPackageValidationSupport nanbyoPackage = new NpmPackageValidationSupport(CONTEXT);
        try {
            nanbyoPackage.loadPackageFromClasspath(NanbyoPackage.CLASSPATH_URL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(CONTEXT),
                nanbyoPackage,
                new InMemoryTerminologyServerValidationSupport(CONTEXT),
                new CommonCodeSystemsTerminologyService(CONTEXT),
                new SnapshotGeneratingValidationSupport(CONTEXT));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        FhirValidator validator = CONTEXT.newValidator();
        validator.registerValidatorModule(instanceValidator);
        return validator;
    }

    /** Every message the validator gives for the resource, checked against the profiles in meta.profile. */
    static List<SingleValidationMessage> validate(IBaseResource resource) {
        return VALIDATOR.validateWithResult(resource).getMessages();
    }

    static List<SingleValidationMessage> validate(String json) {
        return VALIDATOR.validateWithResult(json).getMessages();
    }

    static List<SingleValidationMessage> errors(List<SingleValidationMessage> messages) {
        return messages.stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    static String format(List<SingleValidationMessage> messages) {
        StringBuilder out = new StringBuilder();
        for (SingleValidationMessage m : messages) {
            out.append("\n  ").append(m.getSeverity()).append(" @ ").append(m.getLocationString())
                    .append(": ").append(m.getMessage());
        }
        return out.toString();
    }
}
