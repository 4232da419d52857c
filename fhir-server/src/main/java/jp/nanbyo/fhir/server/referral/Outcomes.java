package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The refusals of the referral workflow, each an OperationOutcome with one error in Japanese, then English. */
final class Outcomes {

    private Outcomes() {
    }

    /** 422: the write breaks a rule of the workflow (a transition, a reason, a consent, a link). */
    static UnprocessableEntityException unprocessable(IssueType code, String expression, String japanese, String english) {
        return new UnprocessableEntityException(japanese + " (" + english + ")", outcome(code, expression, japanese, english));
    }

    /** 400: the caller did not say which organization it acts for ({@code required}), or said it unreadably ({@code value}). */
    static InvalidRequestException badRequest(IssueType code, String japanese, String english) {
        return new InvalidRequestException(japanese + " (" + english + ")", outcome(code, null, japanese, english));
    }

    /** 403: the caller acts for an organization that may not make this move. */
    static ForbiddenOperationException forbidden(String expression, String japanese, String english) {
        return new ForbiddenOperationException(japanese + " (" + english + ")", outcome(IssueType.FORBIDDEN, expression, japanese, english));
    }

    private static OperationOutcome outcome(IssueType code, String expression, String japanese, String english) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(code)
                .setDiagnostics(japanese + " (" + english + ")");
        if (expression != null) {
            issue.addExpression(expression);
        }
        return outcome;
    }
}
