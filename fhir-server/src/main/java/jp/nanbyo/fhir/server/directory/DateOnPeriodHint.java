package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * {@code date=D} on OrganizationAffiliation asks, as FHIR defines {@code eq} against a Period, for periods lying
 * within D, which no designation has: the answer is empty, and the user meant "designated on D". The search stays
 * FHIR's; its searchset carries an outcome entry (search.mode {@code outcome}) that says how to ask for the
 * designations in force on D: {@code date=geD&date=leD}.
 */
@Interceptor
class DateOnPeriodHint {

    /** A year, month or day without a prefix, or with {@code eq}. */
    private static final Pattern EQUALS = Pattern.compile("(?:eq)?(\\d{4}(?:-\\d{2}(?:-\\d{2})?)?)");

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void hint(RequestDetails request, ResponseDetails response) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || !"OrganizationAffiliation".equals(request.getResourceName())
                || !(response.getResponseResource() instanceof Bundle bundle)) {
            return;
        }
        String[] dates = request.getParameters().get("date");
        Matcher equals = dates == null || dates.length != 1 ? null : EQUALS.matcher(dates[0]);
        if (equals == null || !equals.matches()) {
            return;
        }
        String value = equals.group(1);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.INFORMATION)
                .setCode(IssueType.INFORMATIONAL)
                .setDiagnostics("date=" + dates[0] + " は、期間が " + value + " の内に収まる指定を探します (FHIR の eq)。"
                        + value + " に有効だった指定は date=ge" + value + "&date=le" + value + " で探してください"
                        + " (date=" + dates[0] + " asks for periods lying within " + value + ", which designations do not have;"
                        + " for the designations in force on " + value + ", send date=ge" + value + "&date=le" + value + ")")
                .addExpression("OrganizationAffiliation.period");
        bundle.addEntry().setResource(outcome).getSearch().setMode(SearchEntryMode.OUTCOME);
    }
}
