package jp.nanbyo.fhir.server.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo network, loaded at start-up (with the embedded database by default): the
 * national bodies, then Gunma's real list of designated hospitals through the designation import
 * route, exactly as a prefecture's file would come in, then illustrative services of those hospitals
 * ({@link DemoServices}). All are idempotent, so a restart adds nothing.
 */
@Component
class DemoNetworkLoader {

    static final String NATIONAL_BODIES = "demo/national-bodies.json";
    static final String GUNMA_LIST = "jp/nanbyo/fhir/routes/designation/template/example-gunma.csv";

    private static final Logger log = LoggerFactory.getLogger(DemoNetworkLoader.class);

    private final NanbyoProperties properties;
    private final FhirContext fhirContext;
    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final ProducerTemplate routes;

    DemoNetworkLoader(NanbyoProperties properties, FhirContext fhirContext, IFhirSystemDao<Bundle, ?> systemDao,
            ProducerTemplate routes) {
        this.properties = properties;
        this.fhirContext = fhirContext;
        this.systemDao = systemDao;
        this.routes = routes;
    }

    /** Once the web server listens (the route imports over HTTP) and before the server reports itself ready. */
    @EventListener(ApplicationStartedEvent.class)
    void load() {
        if (!properties.loadsDemoData()) {
            return;
        }
        try {
            Bundle nationalBodies = fhirContext.newJsonParser().parseResource(Bundle.class, new String(read(NATIONAL_BODIES), StandardCharsets.UTF_8));
            systemDao.transaction(new SystemRequestDetails(), nationalBodies);
            ImportReport report = routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, read(GUNMA_LIST),
                    Map.of(DesignationImportRoutes.FILE_NAME, "example-gunma.csv", DesignationImportRoutes.SOURCE, "demo"),
                    ImportReport.class);
            Bundle services = DemoServices.transaction(new String(read(DemoServices.FILE), StandardCharsets.UTF_8));
            systemDao.transaction(new SystemRequestDetails(), services);
            log.info("Demo network: national bodies in place; Gunma's list {} (created {}, updated {}, ended {}); {} illustrative services in place",
                    report.status().code(), report.counts().created(), report.counts().updated(), report.counts().ended(),
                    services.getEntry().size());
        } catch (RuntimeException e) {
            // The demo is a convenience: a failure must not take the server down with it.
            log.error("Could not load the demo network", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = DemoNetworkLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
