package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Type;

/**
 * Clear answers for the two ways a {@code CodeSystem/$lookup} commonly goes wrong. HAPI 8.8 reports an unknown code
 * as "Unable to find code[null] in system[null]" (it prints the wrong fields) and a missing {@code system} as "No
 * code, coding, or codeableConcept provided to validate"; a client cannot tell what to fix from either.
 */
@Interceptor
final class LookupErrorMessages {

    private static final String CODE_NOT_FOUND = "HAPI-1738";
    private static final String NOTHING_TO_LOOK_UP = "HAPI-1126";

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException clarify(RequestDetails request, Throwable error) {
        if (!"$lookup".equals(request.getOperation()) || error.getMessage() == null) {
            return null;
        }
        if (error.getMessage().startsWith(CODE_NOT_FOUND)) {
            String code = parameter(request, "code").orElse("?");
            String system = parameter(request, "system").orElse("?");
            return new ResourceNotFoundException(("コード「%s」はコードシステム %s にありません。system が本サーバーのコードシステムの URL か確かめてください "
                    + "(code %s is not in code system %s, or that code system is not known to this server)")
                    .formatted(code, system, code, system));
        }
        if (error.getMessage().startsWith(NOTHING_TO_LOOK_UP)) {
            return new InvalidRequestException("$lookup には system と code、または coding が必要です (give system and code, or coding). "
                    + "例 (e.g.): CodeSystem/$lookup?system=http://nanbyo.jp/fhir/CodeSystem/nanbyo-shitei-nanbyo&code=2");
        }
        return null;
    }

    /** From the URL (GET) or the Parameters body (POST); a coding's parts count as system and code. */
    private static Optional<String> parameter(RequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        if (values != null && values.length > 0 && !values[0].isBlank()) {
            return Optional.of(values[0]);
        }
        if (!(request.getResource() instanceof Parameters body)) {
            return Optional.empty();
        }
        Optional<String> direct = Optional.ofNullable(body.getParameterValue(name)).map(Type::primitiveValue);
        if (direct.isPresent()) {
            return direct;
        }
        return Optional.ofNullable(body.getParameterValue("coding")).filter(Coding.class::isInstance).map(Coding.class::cast)
                .map(coding -> name.equals("code") ? coding.getCode() : coding.getSystem());
    }
}
