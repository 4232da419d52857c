package jp.nanbyo.fhir.server.web;

import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.MultipartConfigElement;
import java.util.List;
import jp.nanbyo.fhir.routes.designation.DesignationImportService;
import jp.nanbyo.fhir.server.NanbyoProperties;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;

/**
 * What browsers and API tools see of the FHIR server: CORS, the OpenAPI description, HTML rendering, how many
 * searches run at once, and the web server's own errors as OperationOutcomes.
 */
@Configuration(proxyBeanMethods = false)
class HttpApiConfig {

    /** Room in the designation upload's form for its fields and part headers besides the list itself. */
    private static final DataSize FORM_FIELDS_ALLOWANCE = DataSize.ofMegabytes(1);

    @Bean
    FhirServerCustomizer cors(NanbyoProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        properties.cors().allowedOrigins().forEach(cors::addAllowedOriginPattern);
        cors.setAllowedHeaders(List.of(HttpHeaders.ORIGIN, HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE,
                HttpHeaders.AUTHORIZATION, HttpHeaders.CACHE_CONTROL, HttpHeaders.IF_MATCH,
                HttpHeaders.IF_NONE_MATCH, HttpHeaders.IF_MODIFIED_SINCE, "If-None-Exist", "Prefer",
                "X-Requested-With"));
        cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.CONTENT_LOCATION, HttpHeaders.ETAG,
                HttpHeaders.LAST_MODIFIED));
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"));
        return server -> server.registerInterceptor(new CorsInterceptor(cors));
    }

    @Bean
    FhirServerCustomizer openApi(NanbyoProperties properties) {
        return server -> {
            if (properties.fhir().openapiEnabled()) {
                server.registerInterceptor(new OpenApiInterceptor());
            }
        };
    }

    @Bean
    FhirServerCustomizer searchAdmission(NanbyoProperties properties, MeterRegistry metrics) {
        SearchAdmission admission = new SearchAdmission(properties.fhir().concurrentSearchLimit());
        Gauge.builder("nanbyo.fhir.searches.waiting", admission, SearchAdmission::waiting)
                .description("Searches waiting for their turn to run").register(metrics);
        return server -> server.registerInterceptor(admission);
    }

    /**
     * A FHIR request body larger than {@code nanbyo.fhir.maximum-request-size}, or holding more than
     * {@code nanbyo.fhir.maximum-request-elements} elements, is refused (413), not held in memory; large bodies take
     * turns.
     */
    @Bean
    FilterRegistrationBean<RequestSizeLimit> fhirRequestSizeLimit(NanbyoProperties properties, MeterRegistry metrics) {
        RequestSizeLimit limit = new RequestSizeLimit(properties.fhir().maximumRequestSize().toBytes(),
                properties.fhir().maximumRequestElements());
        Gauge.builder("nanbyo.fhir.request-bodies.in-progress", limit, bodies -> bodies.kilobytesInProgress() * 1024.0)
                .description("Bytes of request bodies over 64 kB being read and processed now").baseUnit("bytes").register(metrics);
        FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(limit);
        registration.addUrlPatterns("/fhir/*");
        registration.setName("fhirRequestSizeLimit");
        return registration;
    }

    /**
     * The designation upload's form holds one list (up to the import's size limit) and a few small fields. Tomcat
     * writes every part to a temporary file as it parses a form (up to 50 parts), so the whole form is bounded too: a
     * form over it is refused, with the import's report, before more is written.
     */
    @Bean
    MultipartConfigElement designationUploadForm(DesignationImportService designationImport) {
        MultipartConfigFactory form = new MultipartConfigFactory();
        form.setMaxFileSize(DataSize.ofBytes(designationImport.maximumFileSize()));
        form.setMaxRequestSize(DataSize.ofBytes(designationImport.maximumFileSize() + FORM_FIELDS_ALLOWANCE.toBytes()));
        return form.createMultipartConfig();
    }

    /** What the web server answers itself (a URL it cannot read) is an OperationOutcome too. */
    @Bean
    ErrorPagesCustomizer operationOutcomeErrorPages() {
        return new ErrorPagesCustomizer();
    }

    /** A browser asking for a resource gets readable, syntax-highlighted HTML. */
    @Bean
    FhirServerCustomizer browserRendering() {
        return server -> server.registerInterceptor(new ResponseHighlighterInterceptor());
    }
}
