package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Paging that HAPI's unstored (offset) searches get wrong:
 * <ul>
 *   <li>a negative {@code _count} or {@code _offset} reaches the SQL query and fails there (500); it is refused as 400
 *       before the search runs, whether sent directly or inside a batch;</li>
 *   <li>a page asked past the end ({@code _offset} beyond the matches) is empty, and HAPI gives {@code Bundle.total}
 *       as the offset plus nothing ({@code _offset=1000} said 1,000 matches of 84). How many there are is not known
 *       then, so the total is left out; {@code _total=accurate} counts them.</li>
 * </ul>
 */
@Interceptor
final class SearchPaging {

    /** A request's paging, before HAPI reads it: it takes a page's offset into a page request that fails on a negative one. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseNegativePaging(RequestDetails request) {
        for (String name : List.of(Constants.PARAM_COUNT, Constants.PARAM_OFFSET)) {
            String[] values = request.getParameters().get(name);
            if (values != null && values.length == 1 && values[0].trim().startsWith("-")) {
                throw negative(name, values[0]);
            }
        }
    }

    /** The same inside a batch, where HAPI calls no request hook for each entry: the paging reaches the search. */
    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void refuseNegativePagingOfSearch(SearchParameterMap search) {
        refuseNegative(Constants.PARAM_COUNT, search.getCount());
        refuseNegative(Constants.PARAM_OFFSET, search.getOffset());
    }

    private static void refuseNegative(String name, Integer value) {
        if (value != null && value < 0) {
            throw negative(name, value);
        }
    }

    private static InvalidRequestException negative(String name, Object value) {
        return new InvalidRequestException("%s は 0 以上の整数で指定してください（%s） (%s must be a whole number of 0 or more: %s)"
                .formatted(name, value, name, value));
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void leaveOutAnUnknownTotal(RequestDetails request, ResponseDetails response) {
        if (response.getResponseResource() instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.SEARCHSET
                && bundle.hasTotal() && pastTheFirstPage(request) && !asksAccurateTotal(request)
                && bundle.getEntry().stream().allMatch(SearchPaging::includedOrOutcome)) {
            bundle.setTotalElement(null);
        }
    }

    private static boolean includedOrOutcome(Bundle.BundleEntryComponent entry) {
        Bundle.SearchEntryMode mode = entry.getSearch().getMode();
        return mode == Bundle.SearchEntryMode.INCLUDE || mode == Bundle.SearchEntryMode.OUTCOME;
    }

    private static boolean pastTheFirstPage(RequestDetails request) {
        String[] offset = request.getParameters().get(Constants.PARAM_OFFSET);
        return offset != null && offset.length == 1 && !offset[0].equals("0");
    }

    private static boolean asksAccurateTotal(RequestDetails request) {
        String[] total = request.getParameters().get(Constants.PARAM_SEARCH_TOTAL_MODE);
        return total != null && Arrays.asList(total).contains("accurate");
    }
}
