package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An operation's integer parameter sent in the URL that is no number ({@code $find-care?count=abc},
 * {@code $expand?count=abc}) fails HAPI's binding of the parameters with an {@link IllegalArgumentException}, which
 * HAPI answers as a 500; it is the client's mistake, answered 400 naming the parameter.
 */
@Interceptor
final class UnreadableOperationParameters {

    private static final Pattern NUMBER_INPUT = Pattern.compile("For input string: \"(.*)\"");
    /** HAPI's binding of an operation's parameters from the URL. */
    private static final String OPERATION_BINDING = "ca.uhn.fhir.rest.server.method.OperationParameter";

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException asBadRequest(RequestDetails request, Throwable thrown) {
        if (!(thrown instanceof IllegalArgumentException && thrown.getCause() instanceof NumberFormatException notANumber)
                || Arrays.stream(thrown.getStackTrace()).noneMatch(frame -> frame.getClassName().equals(OPERATION_BINDING))) {
            return null;
        }
        Matcher input = NUMBER_INPUT.matcher(String.valueOf(notANumber.getMessage()));
        String value = input.find() ? input.group(1) : "";
        String names = request.getParameters().entrySet().stream()
                .filter(parameter -> Arrays.asList(parameter.getValue()).contains(value))
                .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
        String which = names.isEmpty() ? "" : names + ": ";
        return new InvalidRequestException("%s「%s」を整数として読めません。整数を指定してください (%scannot read \"%s\" as a whole number)"
                .formatted(which, value, which, value));
    }
}
