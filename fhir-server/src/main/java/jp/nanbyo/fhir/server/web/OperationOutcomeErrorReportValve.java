package jp.nanbyo.fhir.server.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.RequestDispatcher;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Errors that the web server answers itself, before any of our code sees the request (a URL with raw Japanese or a
 * space in it, a request line it cannot read), as an OperationOutcome rather than Tomcat's HTML page, which says
 * only "400 Bad Request". The FHIR server, Spring's error handling and the operators' endpoints write their own
 * answers; this valve only speaks when nothing has been written.
 */
class OperationOutcomeErrorReportValve extends ErrorReportValve {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        Throwable cause = throwable != null ? throwable
                : (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String body = FHIR.newJsonParser().encodeResourceToString(outcome(status, cause));
        try {
            response.setContentType("application/fhir+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client has gone, or the response was committed meanwhile: nothing more to say.
        }
    }

    static OperationOutcome outcome(int status, Throwable cause) {
        String reason = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        String detail = reason.isEmpty() ? "" : " (" + reason + ")";
        String diagnostics;
        if (status == 400 && reason.contains("request target")) {
            diagnostics = "URL を読み取れません。URL の日本語、空白と記号 ({ } [ ] ^ ` \\ \" < >) はパーセントエンコードしてください。"
                    + "例: curl -G 'http://localhost:8080/fhir/Organization' --data-urlencode 'name:contains=大学'"
                    + " (the URL could not be read: percent-encode non-ASCII characters, spaces and the symbols"
                    + " { } [ ] ^ ` \\ \" < > in it; curl does so with -G --data-urlencode)" + detail;
        } else if (status == 400) {
            diagnostics = "リクエストを読み取れません (the web server could not read the request)" + detail;
        } else {
            diagnostics = "HTTP " + status + ": ウェブサーバーが要求を処理できませんでした (the web server could not process the request)"
                    + detail;
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(status == 400 ? IssueType.INVALID : IssueType.PROCESSING)
                .setDiagnostics(diagnostics);
        return outcome;
    }
}
