package jp.nanbyo.fhir.server;

import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.DesignationImportService;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The designation import routes alone, as a process of their own talking to a FHIR server over
 * REST (the deployment where routes and server run apart). Started as a child JVM by the recovery
 * tests, so that a test can kill it for real mid-import and start it again. (Not a configuration
 * class: the server's component scan must not find it.)
 */
public final class RoutesOnlyApplication {

    private RoutesOnlyApplication() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(CamelAutoConfiguration.class, DesignationImportService.class, DesignationImportRoutes.class)
                .web(WebApplicationType.NONE)
                .properties("camel.main.run-controller=true") // keep the JVM alive: the routes are all it does
                .run(args);
    }
}
