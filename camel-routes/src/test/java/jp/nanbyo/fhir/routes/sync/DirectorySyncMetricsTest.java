package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.StandardEnvironment;

/** The sync's metrics under the names docs/integration/directory-sync.md (section 12) gives for /actuator/prometheus. */
class DirectorySyncMetricsTest {

    @Test
    void everyCounterHasTheDocumentedPrometheusName() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("prometheus", prometheus);
        DirectorySyncService service = new DirectorySyncService(new DirectorySyncProperties("", List.of()),
                new StandardEnvironment(), beans.getBeanProvider(MeterRegistry.class));

        service.record(new SyncReport("gunma", "https://fhir.pref.gunma.example/fhir", false, null,
                Instant.parse("2026-11-22T07:31:27.803Z"), true, 45, 272, 0,
                new SyncReport.Counts(271, 0, 0, 0, 1, 0, 0), List.of(), 7, List.of("Provenance/1"), 32169));

        String scraped = prometheus.scrape();
        assertThat(scraped).contains("nanbyo_directory_sync_created_resources_total{source=\"gunma\"} 271.0",
                "nanbyo_directory_sync_linked_total{source=\"gunma\"} 1.0",
                "nanbyo_directory_sync_runs_total{outcome=\"completed\",source=\"gunma\"} 1.0",
                "nanbyo_directory_sync_watermark{source=\"gunma\"}");
        // The Prometheus client strips a "_created" suffix: nanbyo.directory.sync.created became this.
        assertThat(scraped).doesNotContain("nanbyo_directory_sync_total");
    }
}
