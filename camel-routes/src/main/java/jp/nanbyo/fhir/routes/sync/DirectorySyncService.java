package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jp.nanbyo.fhir.routes.common.HttpStatuses;
import jp.nanbyo.fhir.routes.common.LocalFhirServer;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The directory sync as the routes use it: one run at a time per source, transient faults turned
 * into {@link SyncUnavailableException} for the shared error handling to retry, and every run logged
 * and counted (ids and counts only, never a resource's content).
 */
@Component
public class DirectorySyncService {

    private static final Logger log = LoggerFactory.getLogger(DirectorySyncService.class);

    /** Our own server answers a transaction of a few hundred validated resources within this. */
    private static final Duration LOCAL_TIMEOUT = Duration.ofMinutes(5);

    private final DirectorySyncProperties properties;
    private final Environment environment;
    private final MeterRegistry metrics;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, DirectorySync> syncs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> watermarks = new ConcurrentHashMap<>();
    private volatile LocalDirectory localDirectory;

    public DirectorySyncService(DirectorySyncProperties properties, Environment environment, ObjectProvider<MeterRegistry> metrics) {
        this.properties = properties;
        this.environment = environment;
        this.metrics = metrics.getIfAvailable(SimpleMeterRegistry::new);
    }

    public DirectorySyncProperties properties() {
        return properties;
    }

    /**
     * One run for a source; waits while another run of the same source is under way.
     *
     * @param full read the whole history and write every resource again (a resync)
     * @throws SyncUnavailableException the source or our server unreachable, timing out, or failing (5xx, 408, 429)
     * @throws DirectorySyncProperties.UnknownSourceException no such source configured
     */
    public SyncReport run(String sourceId, boolean full) throws SyncUnavailableException {
        Source source = properties.source(sourceId);
        ReentrantLock lock = locks.computeIfAbsent(sourceId, id -> new ReentrantLock());
        lock.lock();
        try {
            SyncReport report = sync(source).run(full);
            record(report);
            return report;
        } catch (FhirClientConnectionException e) {
            metrics.counter("nanbyo.directory.sync.runs", Tags.of("source", sourceId, "outcome", "unavailable")).increment();
            throw new SyncUnavailableException("Directory sync " + sourceId + ": a server is unreachable: " + e.getMessage(), e);
        } catch (BaseServerResponseException e) {
            String outcome = HttpStatuses.mayPass(e.getStatusCode()) ? "unavailable" : "failed";
            metrics.counter("nanbyo.directory.sync.runs", Tags.of("source", sourceId, "outcome", outcome)).increment();
            if (outcome.equals("unavailable")) {
                throw new SyncUnavailableException("Directory sync " + sourceId + ": a server answered HTTP "
                        + e.getStatusCode() + ": " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException e) {
            metrics.counter("nanbyo.directory.sync.runs", Tags.of("source", sourceId, "outcome", "failed")).increment();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    void record(SyncReport report) {
        Tags tags = Tags.of("source", report.source());
        metrics.counter("nanbyo.directory.sync.runs", tags.and("outcome", "completed")).increment();
        metrics.counter("nanbyo.directory.sync.pages", tags).increment(report.pages());
        // Not ".created": the Prometheus client strips a "_created" suffix (OpenMetrics reserves it), which made this
        // counter nanbyo_directory_sync_total.
        metrics.counter("nanbyo.directory.sync.created.resources", tags).increment(report.counts().created());
        metrics.counter("nanbyo.directory.sync.updated", tags).increment(report.counts().updated());
        metrics.counter("nanbyo.directory.sync.deleted", tags).increment(report.counts().deleted());
        metrics.counter("nanbyo.directory.sync.unchanged", tags).increment(report.counts().unchanged());
        metrics.counter("nanbyo.directory.sync.linked", tags).increment(report.counts().linked());
        metrics.counter("nanbyo.directory.sync.rejected", tags).increment(report.counts().rejected());
        metrics.counter("nanbyo.directory.sync.transactions", tags).increment(report.transactions());
        metrics.timer("nanbyo.directory.sync.duration", tags).record(Duration.ofMillis(report.durationMillis()));
        if (report.watermark() != null) {
            watermarks.computeIfAbsent(report.source(), id -> metrics.gauge("nanbyo.directory.sync.watermark", tags, new AtomicLong()))
                    .set(report.watermark().getEpochSecond());
        }
        if (report.unreadable() > 0) {
            log.warn("Directory sync {}: {} history entries named no resource and were left out", report.source(), report.unreadable());
        }
        for (SyncReport.Rejected rejected : report.rejected()) {
            log.warn("Directory sync {}: not written {}/{} (local {}/{}): {}", report.source(), rejected.resourceType(),
                    rejected.sourceId(), rejected.resourceType(), rejected.localId(), rejected.reason());
        }
        log.info("Directory sync {} ({}): {}since {}, watermark {} ({}); pages {}, read {}, created {}, updated {}, deleted {},"
                        + " unchanged {}, linked {}, rejected {}, fetched {}, transactions {}, {} ms",
                report.source(), report.baseUrl(), report.full() ? "full, " : "", report.since(), report.watermark(),
                report.watermarkRecorded() ? "recorded" : "not moved", report.pages(), report.read(), report.counts().created(),
                report.counts().updated(), report.counts().deleted(), report.counts().unchanged(), report.counts().linked(),
                report.counts().rejected(), report.counts().fetched(), report.transactions(), report.durationMillis());
    }

    /** Built on first use: in the server's own JVM the HTTP port is only known once the server has started. */
    private DirectorySync sync(Source source) {
        return syncs.computeIfAbsent(source.id(), id -> {
            FhirContext fhir = FhirContext.forR4(); // its own: timeouts are set per context
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            fhir.getRestfulClientFactory().setConnectTimeout((int) source.connectTimeout().toMillis());
            fhir.getRestfulClientFactory().setConnectionRequestTimeout((int) source.connectTimeout().toMillis());
            fhir.getRestfulClientFactory().setSocketTimeout((int) source.readTimeout().toMillis());
            IGenericClient client = fhir.newRestfulGenericClient(source.base());
            client.setEncoding(EncodingEnum.JSON);
            return new DirectorySync(source, fhir, new SourceDirectory(client), localDirectory());
        });
    }

    private synchronized LocalDirectory localDirectory() {
        LocalDirectory current = localDirectory;
        if (current == null) {
            FhirContext fhir = FhirContext.forR4();
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            fhir.getRestfulClientFactory().setSocketTimeout((int) LOCAL_TIMEOUT.toMillis());
            IGenericClient client = fhir.newRestfulGenericClient(fhirBaseUrl());
            client.setEncoding(EncodingEnum.JSON);
            current = new LocalDirectory(client);
            localDirectory = current;
        }
        return current;
    }

    private String fhirBaseUrl() {
        return LocalFhirServer.baseUrl(properties.fhirBaseUrl(), environment);
    }
}
