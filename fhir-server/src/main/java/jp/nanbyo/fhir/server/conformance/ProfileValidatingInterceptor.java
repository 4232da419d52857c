package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.interceptor.validation.IRepositoryValidatingRule;
import ca.uhn.fhir.jpa.interceptor.validation.RepositoryValidatingInterceptor;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/**
 * HAPI's repository validation (it runs in the storage layer, so REST, transactions and writes
 * that bypass HTTP are all checked) answering as FHIR expects of a resource that does not conform:
 * 422 Unprocessable Entity with an OperationOutcome listing every problem and its location.
 */
class ProfileValidatingInterceptor extends RepositoryValidatingInterceptor {

    ProfileValidatingInterceptor(FhirContext fhirContext, List<IRepositoryValidatingRule> rules) {
        super(fhirContext, rules);
    }

    @Override
    protected void handleFailure(IRepositoryValidatingRule.RuleEvaluation evaluation) {
        IBaseOperationOutcome outcome = evaluation.getOperationOutcome();
        if (outcome == null) {
            // The resource declares none of our profiles for its type.
            OperationOutcome missingProfile = new OperationOutcome();
            missingProfile.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.REQUIRED)
                    .setDiagnostics("meta.profile に本ネットワークのプロファイルを宣言してください"
                            + " (declare one of the network's profiles in meta.profile): "
                            + evaluation.getFailureDescription())
                    .addExpression("meta.profile");
            outcome = missingProfile;
        }
        throw new UnprocessableEntityException(
                "プロファイルに適合しません (the resource does not conform to its profile)", errorsFirst(outcome));
    }

    /** Clients show the first issue as the reason: make it an error, not a note about an unmatched slice. */
    private static IBaseOperationOutcome errorsFirst(IBaseOperationOutcome outcome) {
        if (outcome instanceof OperationOutcome r4) {
            List<OperationOutcomeIssueComponent> issues = new ArrayList<>(r4.getIssue());
            issues.sort(Comparator.comparing(OperationOutcomeIssueComponent::getSeverity));
            r4.setIssue(issues);
        }
        return outcome;
    }
}
