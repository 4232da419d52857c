package jp.nanbyo.fhir.routes.designation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import jp.nanbyo.fhir.routes.common.LocalFhirServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The designation import as the routes use it: one importer talking to the server over FHIR REST,
 * transient faults turned into {@link DirectoryUnavailableException} for the routes to retry, and
 * counts logged and exposed as metrics (ids and counts only: lists hold no personal data, but we
 * log no row content either).
 */
@Component
public class DesignationImportService {

    private static final Logger log = LoggerFactory.getLogger(DesignationImportService.class);

    private final Environment environment;
    private final MeterRegistry metrics;
    private final DesignationListReader reader;
    private final long maximumFileSize;
    private final Duration answerTimeout;
    private volatile DesignationImporter importer;

    public DesignationImportService(
            Environment environment,
            ObjectProvider<MeterRegistry> metrics,
            @Value("${nanbyo.designation-import.maximum-file-size:10MB}") DataSize maximumFileSize,
            @Value("${nanbyo.designation-import.maximum-rows:" + DesignationListReader.DEFAULT_MAXIMUM_ROWS + "}") int maximumRows,
            @Value("${nanbyo.designation-import.answer-timeout:5m}") Duration answerTimeout) {
        // Checked here, naming the keys: the reader's own check ("maximumBytes and maximumRows must be positive: 0, 0")
        // ended a start deep under "Unable to start web server", naming neither.
        if (maximumFileSize.toBytes() <= 0 || maximumRows <= 0 || answerTimeout.isNegative() || answerTimeout.isZero()
                || answerTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalStateException("nanbyo.designation-import.maximum-file-size (" + maximumFileSize
                    + ") and maximum-rows (" + maximumRows + ") must be more than 0, answer-timeout (" + answerTimeout
                    + ") more than 0 and at most 24 days");
        }
        this.environment = environment;
        this.metrics = metrics.getIfAvailable(SimpleMeterRegistry::new);
        this.reader = new DesignationListReader(maximumFileSize.toBytes(), maximumRows);
        this.maximumFileSize = maximumFileSize.toBytes();
        this.answerTimeout = answerTimeout;
    }

    /** Bytes: a larger list is rejected unread, so a download may stop one byte after this. */
    public long maximumFileSize() {
        return maximumFileSize;
    }

    public ImportReport importFile(String fileName, byte[] content, String source, boolean dryRun)
            throws DirectoryUnavailableException {
        ImportReport report;
        try {
            report = importer().importFile(fileName, content, source, dryRun);
        } catch (FhirClientConnectionException e) {
            throw new DirectoryUnavailableException("The FHIR server is unreachable: " + e.getMessage(), e);
        } catch (DesignationImporter.OutcomeUnknown e) {
            throw new DirectoryUnavailableException("Not known yet whether the import applied: " + e.getMessage(), e);
        } catch (BaseServerResponseException e) {
            if (e.getStatusCode() >= 500) {
                throw new DirectoryUnavailableException("The FHIR server failed (" + e.getStatusCode() + "): " + e.getMessage(), e);
            }
            throw e;
        }
        record(report);
        return report;
    }

    /** A list refused before it reached the import (too large to read, no file in the request): reported and counted as any rejection. */
    public ImportReport refuse(String fileName, String source, ImportProblem problem) {
        ImportReport report = DesignationImporter.refused(fileName, source, problem);
        record(report);
        return report;
    }

    /** The problem of a list of {@code size} bytes, over {@link #maximumFileSize()}. */
    public ImportProblem tooLarge(long size) {
        return reader.tooLarge(size);
    }

    /** The answer when the FHIR server stayed unreachable or its answer was lost. */
    public static Map<String, String> unavailable(DirectoryUnavailableException failure) {
        if (failure.getCause() instanceof DesignationImporter.OutcomeUnknown) {
            return failure("FHIR サーバーの応答が届かず、取り込まれたかどうかがまだ分かりません。しばらくしてから同じファイルを再送して"
                            + "ください。取り込まれていれば、そう答えます。",
                    "The FHIR server's answer was lost: whether the import applied is not known yet. Send the same file again"
                            + " later; if it applied, the answer will say so.", null);
        }
        return failure("FHIR サーバーに接続できません。しばらくしてから再送してください。何も変更していません。",
                "The FHIR server is unavailable; send the file again later. Nothing was changed.", null);
    }

    /** The answer when an import failed for a reason of ours; whether it applied is in the directory. */
    public static Map<String, String> unexpected(Throwable failure) {
        return failure("取り込み中に予期しない障害が起きました。取り込みは 1 つのトランザクションなので、全部反映されたか何も変わって"
                        + "いないかのどちらかです。ディレクトリ (Provenance) を確認し、運用担当に連絡してください。",
                "The import failed unexpectedly. An import is one transaction: it applied fully or changed nothing;"
                        + " check the directory (Provenance) and tell the operators.",
                String.valueOf(failure));
    }

    /** The answer when a remote source would not hand over its list (HTTP 4xx, an untrusted certificate). */
    public static Map<String, String> fetchFailed(String messageJa, String messageEn, String reason) {
        return failure(messageJa, messageEn, reason);
    }

    private static Map<String, String> failure(String messageJa, String messageEn, String reason) {
        return JsonAnswers.message(reason == null ? "unavailable" : "failed", messageJa, messageEn, reason);
    }

    private void record(ImportReport report) {
        // A file that could not be read names no prefecture: "unknown" rather than the text "null" in dashboards.
        String prefecture = report.prefecture() == null ? "unknown" : report.prefecture();
        Tags tags = Tags.of("status", report.status().code(), "prefecture", prefecture);
        metrics.counter("nanbyo.designation.import.files", tags).increment();
        metrics.counter("nanbyo.designation.import.rows", tags).increment(report.rows());
        // Not ".created": the Prometheus client strips a "_created" suffix (OpenMetrics reserves it), which made this
        // counter nanbyo_designation_import_total.
        metrics.counter("nanbyo.designation.import.created.resources", tags).increment(report.counts().created());
        metrics.counter("nanbyo.designation.import.updated", tags).increment(report.counts().updated());
        metrics.counter("nanbyo.designation.import.ended", tags).increment(report.counts().ended());
        metrics.counter("nanbyo.designation.import.problems", tags).increment(report.problems().size());
        metrics.timer("nanbyo.designation.import.duration", tags).record(Duration.ofMillis(report.durationMillis()));
        log.info("Designation import of {} ({}, sha256 {}): {}; prefecture {}, rows {}, created {}, updated {}, ended {},"
                        + " unchanged {}, problems {}, {} ms",
                report.fileName(), report.source(), report.sha256(), report.status().code(), report.prefecture(),
                report.rows(), report.counts().created(), report.counts().updated(), report.counts().ended(),
                report.counts().unchanged(), report.problems().size(), report.durationMillis());
    }

    /** Built on first use: in the server's own JVM the HTTP port is only known once the server has started. */
    private synchronized DesignationImporter importer() {
        DesignationImporter current = importer;
        if (current == null) {
            FhirContext fhir = FhirContext.forR4(); // its own: the client settings below are per context
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            // Longer than the server may hold a transaction before and while processing it (a turn at its heap: up to 90 s).
            fhir.getRestfulClientFactory().setSocketTimeout(Math.toIntExact(answerTimeout.toMillis()));
            IGenericClient client = fhir.newRestfulGenericClient(fhirBaseUrl());
            current = new DesignationImporter(client, reader, answerTimeout);
            importer = current;
        }
        return current;
    }

    private String fhirBaseUrl() {
        return LocalFhirServer.baseUrl(environment.getProperty("nanbyo.designation-import.fhir-base-url"), environment);
    }
}
