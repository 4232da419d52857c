package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/** The import's metrics under the names docs/integration/designation-import.md (section 8) gives for /actuator/prometheus. */
class DesignationImportMetricsTest {

    @Test
    void everyCounterHasTheDocumentedPrometheusName() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("prometheus", prometheus);
        DesignationImportService service = new DesignationImportService(new StandardEnvironment(),
                beans.getBeanProvider(MeterRegistry.class), DataSize.ofMegabytes(1), DesignationListReader.DEFAULT_MAXIMUM_ROWS,
                Duration.ofMinutes(5));

        service.refuse("gunma.csv", "test", service.tooLarge(2 * 1024 * 1024));

        String scraped = prometheus.scrape();
        for (String counter : new String[] {"files", "rows", "created_resources", "updated", "ended", "problems"}) {
            assertThat(scraped).contains("nanbyo_designation_import_" + counter + "_total{prefecture=\"unknown\",status=\"rejected\"}");
        }
        assertThat(scraped).contains("nanbyo_designation_import_duration_seconds_count{")
                // The Prometheus client strips a "_created" suffix: nanbyo.designation.import.created became this.
                .doesNotContain("nanbyo_designation_import_total");
    }
}
