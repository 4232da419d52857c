package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.api.BundleLinks;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.nanbyo.fhir.server.directory.DesignationSearchMemory.Encoded;
import jp.nanbyo.fhir.server.directory.DesignationSearchMemory.Page;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Serves the directory's most asked question, "who is designated as role R in prefecture P on date D"
 * (docs/directory.md, question 1), from {@link DesignationSearchMemory} instead of HAPI's search: the same matches
 * and includes, in a searchset Bundle written from the resources' stored JSON. Searches in any other shape, GET or
 * not, and requests that ask for XML or HTML or send {@code Cache-Control: no-cache} go on to HAPI unchanged.
 */
@Interceptor
class InMemoryDesignationSearch {

    static final String METRIC = "nanbyo.directory.designation.searches";

    private final DesignationSearchMemory memory;
    private final int defaultCount;
    private final int maximumCount;
    private final Counter answeredFromMemory;
    private final Counter leftToHapi;
    private final JsonFactory json = new JsonFactory();

    InMemoryDesignationSearch(DesignationSearchMemory memory, int defaultCount, int maximumCount, MeterRegistry metrics) {
        this.memory = memory;
        this.defaultCount = defaultCount;
        this.maximumCount = maximumCount;
        this.answeredFromMemory = Counter.builder(METRIC).tag("answered.by", "memory")
                .description("Designation searches answered from memory").register(metrics);
        this.leftToHapi = Counter.builder(METRIC).tag("answered.by", "hapi")
                .description("OrganizationAffiliation searches left to HAPI's search").register(metrics);
    }

    /** Answers and stops HAPI's handling (false), or lets HAPI go on (true). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean answer(RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) throws IOException {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE || !"OrganizationAffiliation".equals(request.getResourceName())) {
            return true;
        }
        Optional<DesignationSearch> search = request.getRequestType() == RequestTypeEnum.GET && wantsJson(servletRequest) && !noCache(servletRequest)
                ? DesignationSearch.of(request.getParameters(), defaultCount, maximumCount)
                : Optional.empty();
        Optional<Page> page = search.flatMap(memory::answer);
        if (page.isEmpty()) {
            leftToHapi.increment();
            return true;
        }
        // Counted first: once the answer is written, the client may already be reading the metrics.
        answeredFromMemory.increment();
        write(request, search.get(), page.get(), servletResponse);
        return false;
    }

    /** JSON is the server's default; a browser (HTML) or an XML client gets HAPI's rendering. */
    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader(Constants.HEADER_ACCEPT);
        if (accept == null || accept.isBlank() || accept.trim().equals("*/*")) {
            return true;
        }
        return accept.contains(Constants.CT_FHIR_JSON_NEW) && !accept.contains("html") && !accept.contains("xml");
    }

    /** A client's way of asking for an answer straight from the database. */
    private static boolean noCache(HttpServletRequest request) {
        String cacheControl = request.getHeader(Constants.HEADER_CACHE_CONTROL);
        return cacheControl != null && cacheControl.contains(Constants.CACHE_CONTROL_NO_CACHE);
    }

    private void write(RequestDetails request, DesignationSearch search, Page page, HttpServletResponse response) {
        String base = request.getFhirServerBase();
        BundleLinks links = new BundleLinks(base, Set.<Include>of(), false, BundleTypeEnum.SEARCHSET);
        Date now = new Date();
        response.setStatus(200);
        // The headers HAPI puts on every answer (X-Powered-By, and the request's id to find it in the log).
        if (request.getServer() instanceof RestfulServer server) {
            server.addHeadersToResponse(response);
        }
        response.setHeader(Constants.HEADER_REQUEST_ID, request.getRequestId());
        response.setContentType(Constants.CT_FHIR_JSON_NEW + Constants.CHARSET_UTF8_CTSUFFIX);
        response.setHeader(Constants.HEADER_LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(now.toInstant().atZone(ZoneOffset.UTC)));
        try (JsonGenerator out = json.createGenerator(response.getOutputStream(), JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeStringField("resourceType", "Bundle");
            out.writeStringField("id", UUID.randomUUID().toString());
            out.writeObjectFieldStart("meta");
            out.writeStringField("lastUpdated", new InstantType(now).getValueAsString());
            out.writeEndObject();
            out.writeStringField("type", "searchset");
            out.writeNumberField("total", page.total());
            out.writeArrayFieldStart("link");
            link(out, "self", RestfulServerUtils.createLinkSelf(base, request));
            if (search.offset() + search.count() < page.total()) {
                link(out, "next", RestfulServerUtils.createOffsetPagingLink(links, request.getRequestPath(), request.getTenantId(),
                        search.offset() + search.count(), search.count(), request.getParameters()));
            }
            if (search.offset() > 0) {
                link(out, "previous", RestfulServerUtils.createOffsetPagingLink(links, request.getRequestPath(), request.getTenantId(),
                        Math.max(0, search.offset() - search.count()), search.count(), request.getParameters()));
            }
            out.writeEndArray();
            out.writeArrayFieldStart("entry");
            entries(out, base, page.matches(), "match");
            entries(out, base, page.included(), "include");
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException clientGone) {
            // The answer was complete; the client left before reading it.
        }
    }

    private static void link(JsonGenerator out, String relation, String url) throws IOException {
        out.writeStartObject();
        out.writeStringField("relation", relation);
        out.writeStringField("url", url);
        out.writeEndObject();
    }

    private static void entries(JsonGenerator out, String base, List<Encoded> resources, String mode) throws IOException {
        for (Encoded resource : resources) {
            out.writeStartObject();
            out.writeStringField("fullUrl", base + "/" + resource.reference());
            out.writeFieldName("resource");
            out.writeRawValue(resource.json());
            out.writeObjectFieldStart("search");
            out.writeStringField("mode", mode);
            out.writeEndObject();
            out.writeEndObject();
        }
    }
}
