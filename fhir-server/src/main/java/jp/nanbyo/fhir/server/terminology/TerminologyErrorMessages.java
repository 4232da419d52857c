package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Type;

/**
 * Clear answers, in Japanese and English, for the ways the terminology operations commonly go wrong. HAPI 8.8 reports
 * an unknown {@code $lookup} code as "Unable to find code[null] in system[null]" (it prints the wrong fields), a
 * missing parameter as "No code, coding, or codeableConcept provided to validate", an unknown value set with its URL
 * percent-encoded, and a {@code $translate} with a ConceptMap that does not exist as "No Matches found", as if the map
 * had been read: a client cannot tell what to fix from any of these.
 */
@Interceptor
final class TerminologyErrorMessages {

    private static final String EXAMPLE_SYSTEM = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-shitei-nanbyo";
    private static final String EXAMPLE_VALUE_SET = "http://nanbyo.jp/fhir/ValueSet/nanbyo-shitei-nanbyo";

    private final DaoRegistry daos;

    TerminologyErrorMessages(DaoRegistry daos) {
        this.daos = daos;
    }

    /** A {@code $translate} naming a ConceptMap that is not stored here: 404, before HAPI answers "No Matches found". */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void conceptMapMustExist(RequestDetails request) {
        if (!"$translate".equals(request.getOperation()) || request.getId() != null && request.getId().hasIdPart()) {
            return;
        }
        Optional<String> url = parameter(request, "url");
        if (url.isPresent() && daos.getResourceDao(ConceptMap.class)
                .search(SearchParameterMap.newSynchronous(ConceptMap.SP_URL, new UriParam(url.get())), new SystemRequestDetails())
                .isEmpty()) {
            throw new ResourceNotFoundException(("ConceptMap %s はこのサーバーにありません。ConceptMap?_elements=url で一覧できます "
                    + "(no ConceptMap with url %s on this server; list them with ConceptMap?_elements=url)").formatted(url.get(), url.get()));
        }
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException clarify(RequestDetails request, Throwable error) {
        String message = error.getMessage();
        if (message == null || request.getOperation() == null) {
            return null;
        }
        switch (request.getOperation()) {
            case "$lookup":
                if (message.startsWith("HAPI-1738")) {
                    String code = parameter(request, "code").orElse("?");
                    String system = parameter(request, "system").orElse("?");
                    return new ResourceNotFoundException(("コード「%s」はコードシステム %s にありません。system が本サーバーのコードシステムの URL か確かめてください "
                            + "(code %s is not in code system %s, or that code system is not known to this server)")
                            .formatted(code, system, code, system));
                }
                if (message.startsWith("HAPI-1126")) {
                    return new InvalidRequestException("$lookup には system と code、または coding が必要です (give system and code, or coding). "
                            + "例 (e.g.): CodeSystem/$lookup?system=" + EXAMPLE_SYSTEM + "&code=2");
                }
                return null;
            case "$expand":
                if (message.startsWith("HAPI-2788")) {
                    String url = parameter(request, "url")
                            .orElseGet(() -> URLDecoder.decode(message.substring(message.indexOf(':', 10) + 1).trim(), StandardCharsets.UTF_8));
                    return new ResourceNotFoundException(("ValueSet %s はこのサーバーにありません。ValueSet?_elements=url で一覧できます "
                            + "(no ValueSet with url %s on this server; list them with ValueSet?_elements=url)").formatted(url, url));
                }
                if (message.startsWith("HAPI-1133")) {
                    return new InvalidRequestException("ValueSet/$expand には url (または valueSet) が必要です (give the value set's url,"
                            + " or the ValueSet as valueSet). 例 (e.g.): ValueSet/$expand?url=http://nanbyo.jp/fhir/ValueSet/nanbyo-shitei-nanbyo");
                }
                return null;
            case "$validate-code":
                // The example is of the operation asked: the CodeSystem's takes the system as url, the ValueSet's as system.
                String example = "ValueSet".equals(request.getResourceName())
                        ? "ValueSet/$validate-code?url=" + EXAMPLE_VALUE_SET + "&system=" + EXAMPLE_SYSTEM + "&code=2"
                        : "CodeSystem/$validate-code?url=" + EXAMPLE_SYSTEM + "&code=2";
                if (message.startsWith("HAPI-0899") || message.startsWith("HAPI-0906")) {
                    return new InvalidRequestException("$validate-code には code と system、または coding か codeableConcept が必要です"
                            + " (give code and system, or coding, or codeableConcept). 例 (e.g.): " + example);
                }
                if (message.startsWith("HAPI-0908")) {
                    return new InvalidRequestException("CodeSystem/$validate-code には url (コードシステムの URL) が必要です"
                            + " (give the code system's url). 例 (e.g.): " + example);
                }
                return null;
            case "$translate":
                if (message.startsWith("HAPI-1154")) {
                    return new InvalidRequestException("$translate には code と system、coding、codeableConcept のどれか 1 つが必要です"
                            + " (give exactly one of code with system, coding, or codeableConcept). 例 (e.g.): "
                            + "ConceptMap/$translate?url=http://nanbyo.jp/fhir/ConceptMap/nanbyo-shitei-nanbyo-to-orpha&system="
                            + EXAMPLE_SYSTEM + "&code=2");
                }
                return null;
            default:
                return null;
        }
    }

    /** From the URL (GET) or the Parameters body (POST); a coding's parts count as system and code. */
    static Optional<String> parameter(RequestDetails request, String name) {
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
