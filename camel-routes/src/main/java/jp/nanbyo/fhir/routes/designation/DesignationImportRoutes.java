package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.FileEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where designation lists come in: a watched folder, and the {@link #ENDPOINT} that the HTTP upload
 * ({@link DesignationUploadController}) and the demo loader send files to.
 *
 * <p>A transient fault (the FHIR server down or failing) is retried with back-off; if it lasts,
 * the folder leaves the file where it is, to be picked up at a later poll, and the upload answers
 * 503. Either way nothing is half-applied: an import is one transaction.
 */
@Component
public class DesignationImportRoutes extends RouteBuilder {

    /** Imports the message body (the file's bytes); headers {@link #FILE_NAME}, {@link #SOURCE}, {@link #DRY_RUN}. */
    public static final String ENDPOINT = "direct:designation-import";
    public static final String FILE_NAME = Exchange.FILE_NAME;
    public static final String SOURCE = "nanbyoImportSource";
    public static final String DRY_RUN = "nanbyoDryRun";

    /** The watched folder: files dropped here are imported, then moved to done/ or error/ with their report. */
    static final String FOLDER = "{{nanbyo.data-dir:data}}/import/designations";

    /** The first wait before retrying when the FHIR server is unavailable (ms); it doubles at each retry. */
    static final String RETRY_DELAY = "{{nanbyo.designation-import.retry-delay:" + RemoteSourcesProperties.DEFAULT_RETRY_DELAY + "}}";

    /** The files taken: .csv and .xlsx (Camel's include matches case-insensitively). */
    static final String INCLUDE = ".*\\.(csv|xlsx)";

    private static final String ARCHIVE_FOLDER = "nanbyoArchiveFolder";
    private static final String ARCHIVE_NAME = "nanbyoArchiveName";
    private static final DateTimeFormatter ARCHIVE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private static final Logger log = LoggerFactory.getLogger(DesignationImportRoutes.class);

    private final DesignationImportService service;

    public DesignationImportRoutes(DesignationImportService service) {
        this.service = service;
    }

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId("designation-import")
                .onException(DirectoryUnavailableException.class)
                    .maximumRedeliveries(3).redeliveryDelay(RETRY_DELAY).useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                .end()
                .process(this::importBody);

        // readLockMinLength=0: Camel's changed read lock waits for content by default, so an empty file (a failed export)
        // was never taken nor reported, and held up every poll for the lock's 10 s time-out; now it is refused as empty.
        FileEndpoint folder = getContext().getEndpoint("file:" + FOLDER + "?include=" + INCLUDE
                + "&readLock=changed&readLockMinAge=1000&readLockMinLength=0"
                + "&delay={{nanbyo.designation-import.folder-poll-delay:" + RemoteSourcesProperties.DEFAULT_FOLDER_POLL_DELAY + "}}"
                + "&move=${header." + ARCHIVE_FOLDER + "}/${header." + ARCHIVE_NAME + "}", FileEndpoint.class);
        Path folderPath = Path.of(getContext().resolvePropertyPlaceholders(FOLDER));
        folder.setFilter(new FilingFolders(folderPath, "Designation lists in " + folderPath.toAbsolutePath()
                + " are left where they are, unread,").asFileFilter());
        from(folder)
                .routeId("designation-import-folder")
                // The server unreachable: retried 5 times (about 30 s by default); then the file stays in place (not
                // handled), to be taken again at the next poll, with the same retries, until the server is back.
                .onException(DirectoryUnavailableException.class)
                    .maximumRedeliveries(5).redeliveryDelay(RETRY_DELAY).useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .handled(false)
                .end()
                // Anything else is not the server's absence: file it under error/ with the reason, never retry forever.
                .onException(Exception.class)
                    .handled(true)
                    .process(this::archiveFailure)
                .end()
                .setHeader(SOURCE, simple("folder"))
                .process(this::importFolderFile)
                .process(this::archiveWithReport);
    }

    /**
     * A file over the import's limit is refused on the size the folder lists, unread: a file dropped by mistake can be
     * larger than the server's memory.
     */
    private void importFolderFile(Exchange exchange) throws DirectoryUnavailableException {
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, -1L, Long.class);
        if (size > service.maximumFileSize()) {
            exchange.getMessage().setBody(service.refuse(exchange.getMessage().getHeader(FILE_NAME, String.class), "folder",
                    service.tooLarge(size)));
            return;
        }
        importBody(exchange);
    }

    private void importBody(Exchange exchange) throws DirectoryUnavailableException {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        String fileName = exchange.getMessage().getHeader(FILE_NAME, "designations.csv", String.class);
        String source = exchange.getMessage().getHeader(SOURCE, "direct", String.class);
        boolean dryRun = exchange.getMessage().getHeader(DRY_RUN, false, Boolean.class);
        ImportReport report = service.importFile(fileName, content == null ? new byte[0] : content, source, dryRun);
        exchange.getMessage().setBody(report);
    }

    /** done/ or error/, a time-stamped name, and the report as JSON beside the file. */
    private void archiveWithReport(Exchange exchange) {
        ImportReport report = exchange.getMessage().getBody(ImportReport.class);
        archive(exchange, report.rejected() ? "error" : "done", JsonAnswers.text(report));
    }

    private void archiveFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("Designation import of {} failed", exchange.getMessage().getHeader(Exchange.FILE_NAME), failure);
        archive(exchange, "error", JsonAnswers.text(DesignationImportService.unexpected(failure)));
    }

    /** {@code <yyyyMMdd-HHmmss-SSS>-<name>} (local time): filed lists sort by arrival, and a name can come twice. */
    static String archiveName(String fileName) {
        return shortened(LocalDateTime.now().format(ARCHIVE_TIME) + "-" + fileName, MAXIMUM_ARCHIVE_NAME_BYTES);
    }

    /**
     * File systems allow 255 bytes per name, and the report is written aside as {@code .<name>.report.json.part}. A
     * name of 75 Japanese characters fitted the folder but not done/ with its time stamp: the file could not be filed,
     * and was imported again at every poll.
     */
    static final int MAXIMUM_ARCHIVE_NAME_BYTES = 255 - ".".length() - ".report.json.part".length();

    /** Too long a name loses the end of its stem, marked {@code ~}, and keeps its extension; the report names the file whole. */
    static String shortened(String name, int maximumBytes) {
        if (utf8Bytes(name) <= maximumBytes) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 6 ? name.substring(dot) : "";
        int budget = maximumBytes - utf8Bytes(extension) - 1;
        StringBuilder kept = new StringBuilder();
        int keptBytes = 0;
        for (int c : name.substring(0, name.length() - extension.length()).codePoints().toArray()) {
            int bytes = utf8Bytes(Character.toString(c));
            if (keptBytes + bytes > budget) {
                break;
            }
            kept.appendCodePoint(c);
            keptBytes += bytes;
        }
        return kept + "~" + extension;
    }

    private static int utf8Bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void archive(Exchange exchange, String folder, String reportJson) {
        String name = archiveName(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class));
        exchange.getMessage().setHeader(ARCHIVE_FOLDER, folder);
        exchange.getMessage().setHeader(ARCHIVE_NAME, name);
        Path directory = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class), folder);
        try {
            Files.createDirectories(directory);
            // Written aside, then moved: whoever watches the folder never reads a report half-written.
            Path written = Files.writeString(directory.resolve("." + name + ".report.json.part"), reportJson, StandardCharsets.UTF_8);
            Files.move(written, directory.resolve(name + ".report.json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
