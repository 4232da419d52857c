package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;

/**
 * The {@code message} of a {@code $validate-code} answer in Japanese first, HAPI's English kept after it in brackets,
 * as our other answers are: a hospital's staff reading why a code was refused, or why its display was questioned,
 * should not need English. Only the messages HAPI 8.8 gives for our usual cases are recognised (an unknown code, a
 * display that is not the code's, a system the value set does not draw on); any other is left as HAPI wrote it.
 */
@Interceptor
final class ValidateCodeMessages {

    private static final Pattern WRONG_DISPLAY = Pattern.compile("Concept Display \"(.*)\" does not match expected \"(.*)\" for '.*'",
            Pattern.DOTALL);
    private static final Pattern UNKNOWN_CODE = Pattern.compile(
            "Unable to validate code (.*)#(.*?) - (?:Code is not found in CodeSystem|Unknown code ).*", Pattern.DOTALL);
    private static final Pattern SYSTEM_NOT_IN_VALUE_SET = Pattern.compile(
            "Unable to validate code (.*)#(.*?) - No codes in ValueSet belong to CodeSystem with URL .*", Pattern.DOTALL);

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void inJapanese(RequestDetails request, ResponseDetails response) {
        if (!"$validate-code".equals(request.getOperation()) || !(response.getResponseResource() instanceof Parameters answer)) {
            return;
        }
        String valueSet = "ValueSet".equals(request.getResourceName())
                ? TerminologyErrorMessages.parameter(request, "url").orElse(null) : null;
        for (ParametersParameterComponent parameter : answer.getParameter()) {
            if (parameter.getName().equals("message") && parameter.getValue() instanceof StringType message) {
                String japanese = japanese(message.getValue(), valueSet);
                if (japanese != null) {
                    message.setValue(japanese + " (" + message.getValue() + ")");
                }
            }
        }
    }

    /** The Japanese for one of HAPI's messages, or null when it is not one we know. */
    static String japanese(String message, String valueSet) {
        Matcher wrongDisplay = WRONG_DISPLAY.matcher(message);
        if (wrongDisplay.matches()) {
            return "表示名「%s」はこのコードの表示名「%s」と異なります。コードは正しく、正しい表示名を display で返します"
                    .formatted(wrongDisplay.group(1), wrongDisplay.group(2));
        }
        Matcher systemNotInValueSet = SYSTEM_NOT_IN_VALUE_SET.matcher(message);
        if (systemNotInValueSet.matches()) {
            return "値セット%sにはコードシステム %s のコードがありません。system を確かめてください"
                    .formatted(valueSet == null ? "" : " " + valueSet + " ", systemNotInValueSet.group(1));
        }
        Matcher unknownCode = UNKNOWN_CODE.matcher(message);
        if (unknownCode.matches()) {
            return valueSet == null
                    ? "コード「%s」はコードシステム %s にありません".formatted(unknownCode.group(2), unknownCode.group(1))
                    : "コード「%s」(%s) は値セット %s にありません".formatted(unknownCode.group(2), unknownCode.group(1), valueSet);
        }
        return null;
    }
}
