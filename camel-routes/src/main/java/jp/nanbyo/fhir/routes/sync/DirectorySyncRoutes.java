package jp.nanbyo.fhir.routes.sync;

import jp.nanbyo.fhir.routes.common.RouteErrorHandling;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps this directory in step with the mCSD directories configured under
 * {@code nanbyo.directory-sync.sources}: one timer route per source ({@code directory-sync-<id>}),
 * first {@code initial-delay} after start-up, then every {@code poll-interval} (never overlapping); and
 * {@link #ENDPOINT} for a run on demand (the HTTP trigger, tests). With no source configured there
 * is no timer route.
 *
 * <p>Every route opts into the shared error handling: an unreachable or failing server (the source
 * or ours) is retried with exponential back-off; a run that still fails, or fails for another
 * reason, is dead-lettered with its reason, and the next poll starts again from the watermark.
 */
@Component
@EnableConfigurationProperties(DirectorySyncProperties.class)
public class DirectorySyncRoutes extends RouteBuilder {

    /** Runs the source named by the body (its id); header {@link #FULL} for a resync. Answers a {@link SyncReport}. */
    public static final String ENDPOINT = "direct:directory-sync";
    public static final String FULL = "nanbyoSyncFull";

    private final DirectorySyncService service;

    public DirectorySyncRoutes(DirectorySyncService service) {
        this.service = service;
    }

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId("directory-sync")
                .routeConfigurationId(RouteErrorHandling.ID)
                .process(this::run);

        for (Source source : service.properties().sources()) {
            from("timer:" + source.routeId() + "?delay=" + source.initialDelay().toMillis()
                    + "&period=" + source.pollInterval().toMillis() + "&fixedRate=false")
                    .routeId(source.routeId())
                    .routeConfigurationId(RouteErrorHandling.ID)
                    .setBody(constant(source.id()))
                    .process(this::run);
        }
    }

    private void run(Exchange exchange) throws SyncUnavailableException {
        String sourceId = exchange.getMessage().getBody(String.class);
        boolean full = exchange.getMessage().getHeader(FULL, false, Boolean.class);
        exchange.getMessage().setBody(service.run(sourceId, full));
    }
}
