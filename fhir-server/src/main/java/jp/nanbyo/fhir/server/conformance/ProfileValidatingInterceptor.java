package jp.nanbyo.fhir.server.conformance;

import static ca.uhn.fhir.util.HapiExtensions.EXT_RESOURCE_PLACEHOLDER;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.ExtensionUtil;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/**
 * Every write of a resource type that the network profiles must declare one of its profiles in
 * {@code meta.profile} and conform to what it declares. A storage hook, so REST, transactions and
 * writes that bypass HTTP are all checked; a resource that does not conform is answered as FHIR
 * expects: 422 Unprocessable Entity with an OperationOutcome listing every problem and its location.
 */
@Interceptor
class ProfileValidatingInterceptor {

    private final FhirContext fhirContext;
    private final Map<String, List<String>> profilesByResourceType;
    private final FhirValidator validator;

    ProfileValidatingInterceptor(
            FhirContext fhirContext, Map<String, List<String>> profilesByResourceType, PooledInstanceValidator instanceValidator) {
        this.fhirContext = fhirContext;
        this.profilesByResourceType = Map.copyOf(profilesByResourceType);
        // A FhirValidator is thread-safe once its modules are registered.
        this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    void updated(IBaseResource oldResource, IBaseResource newResource) {
        check(newResource);
    }

    /**
     * Validates the package's examples once, answering how many were validated and how many had errors. The first
     * validation on a new server is slow (HAPI loads the base value sets, converts every StructureDefinition and
     * builds the validator); done at start-up, that cost is not paid by the first client's write.
     */
    WarmUp warmUp(List<IBaseResource> examples) {
        int validated = 0;
        int withErrors = 0;
        for (IBaseResource example : examples) {
            if (profilesByResourceType.containsKey(fhirContext.getResourceType(example))) {
                validated++;
                withErrors += hasErrors(validator.validateWithResult(example)) ? 1 : 0;
            }
        }
        return new WarmUp(validated, withErrors);
    }

    record WarmUp(int validated, int withErrors) {
    }

    private void check(IBaseResource resource) {
        List<String> profiles = profilesByResourceType.get(fhirContext.getResourceType(resource));
        // HAPI's placeholders for references to resources not yet written are not the client's data.
        if (profiles == null || ExtensionUtil.hasExtension(resource, EXT_RESOURCE_PLACEHOLDER)) {
            return;
        }
        boolean declaresOne = resource.getMeta().getProfile().stream()
                .map(IPrimitiveType::getValueAsString)
                .anyMatch(profiles::contains);
        if (!declaresOne) {
            throw unprocessable(missingProfile(fhirContext.getResourceType(resource), profiles));
        }
        ValidationResult result = validator.validateWithResult(resource);
        if (hasErrors(result)) {
            throw unprocessable((OperationOutcome) result.toOperationOutcome());
        }
    }

    private static boolean hasErrors(ValidationResult result) {
        return result.getMessages().stream()
                .anyMatch(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
    }

    private static OperationOutcome missingProfile(String resourceType, List<String> profiles) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.REQUIRED)
                .setDiagnostics("meta.profile に本ネットワークのプロファイルを宣言してください"
                        + " (declare one of the network's profiles for " + resourceType + " in meta.profile): "
                        + String.join(", ", profiles))
                .addExpression("meta.profile");
        return outcome;
    }

    private static UnprocessableEntityException unprocessable(OperationOutcome outcome) {
        return new UnprocessableEntityException(
                "プロファイルに適合しません (the resource does not conform to its profile)", errorsFirst(outcome));
    }

    /** Clients show the first issue as the reason: make it an error, not a note about an unmatched slice. */
    private static OperationOutcome errorsFirst(OperationOutcome outcome) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>(outcome.getIssue());
        issues.sort(Comparator.comparing(OperationOutcomeIssueComponent::getSeverity));
        return outcome.setIssue(issues);
    }
}
