package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import java.util.Map;

/**
 * FHIR's search says a server SHALL refuse a modifier it does not support; HAPI ignores one it does not know on most
 * parameter types, so {@code active:bogus=true} answered as {@code active=true} and {@code name:foo=x} answered
 * nothing, each as if it were a real answer. A search with such a modifier, or a {@code _summary} or {@code _total}
 * HAPI does not take, is a 400 naming what is accepted. Reference parameters are left to HAPI, which checks their
 * modifiers (a resource type, {@code :identifier}) and chains itself; so are parameters it does not know.
 */
@Interceptor
final class SearchModifiers {

    /** FHIR R4's modifiers by parameter type (search.html#modifiers). */
    private static final Map<RestSearchParameterTypeEnum, List<String>> MODIFIERS = Map.of(
            RestSearchParameterTypeEnum.STRING, List.of("contains", "exact", "missing"),
            RestSearchParameterTypeEnum.TOKEN, List.of("text", "not", "above", "below", "in", "not-in", "of-type", "missing"),
            RestSearchParameterTypeEnum.DATE, List.of("missing"),
            RestSearchParameterTypeEnum.NUMBER, List.of("missing"),
            RestSearchParameterTypeEnum.QUANTITY, List.of("missing"),
            RestSearchParameterTypeEnum.URI, List.of("above", "below", "missing"),
            RestSearchParameterTypeEnum.COMPOSITE, List.of("missing"));

    private static final Map<String, List<String>> VALUES = Map.of(
            Constants.PARAM_SUMMARY, List.of("true", "text", "data", "count", "false"),
            Constants.PARAM_SEARCH_TOTAL_MODE, List.of("none", "estimate", "accurate"));

    private final ISearchParamRegistry searchParameters;

    SearchModifiers(ISearchParamRegistry searchParameters) {
        this.searchParameters = searchParameters;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseUnknown(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || request.getResourceName() == null) {
            return;
        }
        request.getParameters().forEach((name, values) -> {
            checkValues(name, values);
            int colon = name.indexOf(':');
            if (colon > 0) {
                checkModifier(request.getResourceName(), name.substring(0, colon), name.substring(colon + 1));
            }
        });
    }

    private static void checkValues(String name, String[] values) {
        List<String> accepted = VALUES.get(name);
        if (accepted == null) {
            return;
        }
        for (String value : values) {
            if (!accepted.contains(value)) {
                String all = String.join(", ", accepted);
                throw new InvalidRequestException("%s=%s: 使えるのは %s です (%s takes %s)".formatted(name, value, all, name, all));
            }
        }
    }

    private void checkModifier(String resourceType, String parameter, String modifier) {
        RuntimeSearchParam definition = searchParameters.getActiveSearchParam(resourceType, parameter,
                ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
        List<String> accepted = definition == null ? null : MODIFIERS.get(definition.getParamType());
        if (accepted == null || accepted.contains(modifier)) {
            return;
        }
        String type = definition.getParamType().getCode();
        String all = String.join(", ", accepted.stream().map(m -> ":" + m).toList());
        throw new InvalidRequestException(("%s:%s: 検索パラメーター %s (%s) に修飾子 :%s は使えません。使えるのは %s です"
                + " (the %s parameter %s takes no :%s modifier; it takes %s)")
                .formatted(parameter, modifier, parameter, type, modifier, all, type, parameter, modifier, all));
    }
}
