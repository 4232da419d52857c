package jp.nanbyo.fhir.server;

import jp.nanbyo.fhir.routes.common.DeadLetterRoute;
import jp.nanbyo.fhir.routes.common.RouteErrorHandling;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.DesignationImportService;
import jp.nanbyo.fhir.routes.sync.DirectorySyncRoutes;
import jp.nanbyo.fhir.routes.sync.DirectorySyncService;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The integration routes alone (the designation import's and the directory sync's), as a process
 * of their own talking to a FHIR server over REST (the deployment where routes and server run
 * apart). Started as a child JVM by the recovery tests, so that a test can kill it for real
 * mid-import or mid-sync and start it again. (Not a configuration class: the server's component
 * scan must not find it.)
 */
public final class RoutesOnlyApplication {

    private RoutesOnlyApplication() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(CamelAutoConfiguration.class, DesignationImportService.class, DesignationImportRoutes.class,
                DirectorySyncService.class, DirectorySyncRoutes.class, RouteErrorHandling.class, DeadLetterRoute.class)
                .web(WebApplicationType.NONE)
                .properties("camel.main.run-controller=true") // keep the JVM alive: the routes are all it does
                .run(args);
    }
}
