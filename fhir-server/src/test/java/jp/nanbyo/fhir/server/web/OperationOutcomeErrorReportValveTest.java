package jp.nanbyo.fhir.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

/** What the web server's own refusals say (the raw-URL case end to end: FhirRestContract). */
class OperationOutcomeErrorReportValveTest {

    @Test
    void aUrlItCannotReadGetsTheAdviceToEncodeItAndOtherFaultsOnlyWhatTomcatSaid() {
        OperationOutcome url = OperationOutcomeErrorReportValve.outcome(400, new IllegalArgumentException(
                "Invalid character found in the request target [/fhir/Organization?name=0xe50xa4 ]"));
        assertThat(url.getIssueFirstRep().getCode()).isEqualTo(IssueType.INVALID);
        assertThat(url.getIssueFirstRep().getDiagnostics()).contains("パーセントエンコード", "--data-urlencode", "request target");

        OperationOutcome header = OperationOutcomeErrorReportValve.outcome(400,
                new IllegalArgumentException("Request header is too large"));
        assertThat(header.getIssueFirstRep().getDiagnostics()).contains("リクエストを読み取れません", "Request header is too large")
                .doesNotContain("パーセントエンコード");

        OperationOutcome other = OperationOutcomeErrorReportValve.outcome(505, null);
        assertThat(other.getIssueFirstRep().getCode()).isEqualTo(IssueType.PROCESSING);
        assertThat(other.getIssueFirstRep().getDiagnostics()).startsWith("HTTP 505").doesNotContain("()");
    }
}
