package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * HAPI's ValueSet operations, with {@code $expand?filter=} matching any part of a display or
 * designation. HAPI matches word prefixes, which suits English but not Japanese, written without
 * spaces: 筋 must find 球脊髄性筋萎縮症. Text is compared after NFKC normalisation (full- and
 * half-width forms alike) and case folding. HAPI still binds the operation: it finds its own
 * annotated method and Java dispatches the call here.
 */
public class SubstringFilterValueSetOperations extends ValueSetOperationProvider {

    @Override
    public IBaseResource expand(
            HttpServletRequest servletRequest,
            IIdType id,
            IBaseResource valueSet,
            IPrimitiveType<String> url,
            IPrimitiveType<String> valueSetVersion,
            IPrimitiveType<String> filter,
            IPrimitiveType<String> context,
            IPrimitiveType<String> contextDirection,
            IPrimitiveType<Integer> offset,
            IPrimitiveType<Integer> count,
            IPrimitiveType<String> displayLanguage,
            IPrimitiveType<Boolean> includeHierarchy,
            RequestDetails requestDetails) {
        if (filter == null || filter.getValue() == null || filter.getValue().isBlank()) {
            return super.expand(servletRequest, id, valueSet, url, valueSetVersion, filter, context, contextDirection,
                    offset, count, displayLanguage, includeHierarchy, requestDetails);
        }
        // Expand everything, then filter and page here (paging before filtering would drop matches). HAPI may answer
        // its cached expansion itself: the answer is a copy, or this filter would be every later client's expansion.
        ValueSet expanded = ((ValueSet) super.expand(servletRequest, id, valueSet, url, valueSetVersion, null, context,
                contextDirection, null, null, displayLanguage, includeHierarchy, requestDetails)).copy();
        String needle = comparable(filter.getValue());
        List<ValueSetExpansionContainsComponent> matches = expanded.getExpansion().getContains().stream()
                .filter(concept -> matches(concept, needle))
                .toList();

        int from = Math.min(offset == null || offset.getValue() == null ? 0 : offset.getValue(), matches.size());
        int to = count == null || count.getValue() == null ? matches.size() : Math.min(matches.size(), from + count.getValue());
        ValueSet.ValueSetExpansionComponent expansion = expanded.getExpansion();
        expansion.setContains(new ArrayList<>(matches.subList(from, to)));
        expansion.setTotal(matches.size());
        expansion.setOffset(from);
        expansion.getParameter().removeIf(parameter -> parameter.getName().equals("filter")
                || parameter.getName().equals("offset") || parameter.getName().equals("count"));
        expansion.addParameter().setName("filter").setValue(new StringType(filter.getValue()));
        return expanded;
    }

    private static boolean matches(ValueSetExpansionContainsComponent concept, String needle) {
        return (concept.hasDisplay() && comparable(concept.getDisplay()).contains(needle))
                || concept.getDesignation().stream().anyMatch(designation -> comparable(designation.getValue()).contains(needle));
    }

    static String comparable(String text) {
        return Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
