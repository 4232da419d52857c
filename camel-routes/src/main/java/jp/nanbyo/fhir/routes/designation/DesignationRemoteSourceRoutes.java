package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import jp.nanbyo.fhir.routes.designation.HttpListFetcher.FetchedList;
import jp.nanbyo.fhir.routes.designation.HttpListFetcher.SourceRefusedException;
import jp.nanbyo.fhir.routes.designation.HttpListFetcher.SourceUnavailableException;
import jp.nanbyo.fhir.routes.designation.RemoteSourcesProperties.RemoteSource;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * Polls the prefectures' servers configured under {@code nanbyo.designation-import.remote-sources}:
 * one route per source, named {@code designation-import-source-<id>}. Every list fetched goes to
 * the same import as the watched folder's, with the source {@code https:<id>} or {@code sftp:<id>},
 * and is kept with its report in {@code <data-dir>/import/designations/<id>/done|error/}.
 *
 * <p>Nothing is lost or half-applied: an import is one transaction, and a list is remembered as
 * fetched only once it has a report. A transient fault (the prefecture's server or ours down, a
 * time-out, HTTP 5xx) is retried after 1, 2, 4, 8 and 16 s, and if it lasts, the next poll fetches the
 * list again. A refusal (HTTP 4xx, an untrusted certificate) is logged and filed, and waits for the
 * next poll.
 */
@Component
@EnableConfigurationProperties(RemoteSourcesProperties.class)
public class DesignationRemoteSourceRoutes extends RouteBuilder {

    /** How often and how soon a transient fault is retried: {@code first}, then doubling each time. */
    record Retries(int maximum, Duration first) {

        /** @param retry 1 for the first retry */
        Duration delayBefore(int retry) {
            return first.multipliedBy(1L << (retry - 1));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DesignationRemoteSourceRoutes.class);

    private final DesignationImportService service;
    private final RemoteSourcesProperties properties;
    private final SslBundles sslBundles;
    private final Retries retries;

    /** The retries as the other ways in use them: 5, the first after {@code nanbyo.designation-import.retry-delay}. */
    @Autowired
    public DesignationRemoteSourceRoutes(DesignationImportService service, RemoteSourcesProperties properties,
            ObjectProvider<SslBundles> sslBundles) {
        this(service, properties, sslBundles.getIfAvailable(), new Retries(5, Duration.ofMillis(properties.retryDelay())));
    }

    DesignationRemoteSourceRoutes(DesignationImportService service, RemoteSourcesProperties properties,
            SslBundles sslBundles, Retries retries) {
        this.service = service;
        this.properties = properties;
        this.sslBundles = sslBundles;
        this.retries = retries;
    }

    @Override
    public void configure() throws Exception {
        Path sourcesFolder = Path.of(getContext().resolvePropertyPlaceholders(DesignationImportRoutes.FOLDER));
        for (RemoteSource source : properties.remoteSources()) {
            RemoteSourceFolder folder = new RemoteSourceFolder(sourcesFolder.resolve(source.id()), source.sourceName());
            if (source.isSftp()) {
                sftpRoute(source, folder);
            } else {
                httpRoute(source, folder);
            }
        }
    }

    /** A timer asks for the file with a conditional GET; an unchanged file is neither downloaded nor imported again. */
    private void httpRoute(RemoteSource source, RemoteSourceFolder folder) throws NoSuchAlgorithmException {
        HttpListFetcher fetcher = new HttpListFetcher(source.url(), sslContext(source), source.connectTimeout(),
                source.readTimeout(), service.maximumFileSize(), folder.resolve("last-fetched.properties"));

        from("timer:" + source.routeId() + "?delay=1000&period=" + source.pollInterval().toMillis())
                .routeId(source.routeId())
                .onException(SourceUnavailableException.class, DirectoryUnavailableException.class)
                    .maximumRedeliveries(retries.maximum()).redeliveryDelay(retries.first().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    // Nothing was remembered: the next poll fetches the list again.
                    .handled(true)
                    .log(LoggingLevel.WARN, "Polling " + source.sourceName() + " gave up until the next poll: ${exception.message}")
                .end()
                .onException(SourceRefusedException.class)
                    .handled(true)
                    .process(exchange -> fileRefusal(exchange, source, folder, fetcher))
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(exchange -> fileFailure(exchange, source, folder, fetcher))
                .end()
                .process(exchange -> exchange.getMessage().setBody(folder.filing().canFile() ? fetcher.fetch().orElse(null) : null))
                .filter(body().isNotNull())
                .process(exchange -> {
                    FetchedList list = exchange.getMessage().getBody(FetchedList.class);
                    importAndFile(source, folder, list.fileName(), list.content());
                    fetcher.remember(list);
                });
    }

    /**
     * Camel's SFTP consumer, read only (nothing is moved, deleted or created on the server): the files
     * it has taken are remembered by name, size and modification time in {@code processed-files.txt},
     * so a restart does not take them again and a changed file is taken anew. Files are streamed, not
     * loaded whole: one larger than the import takes is refused on the size the server lists, unread,
     * and a file is never read beyond that size.
     */
    private void sftpRoute(RemoteSource source, RemoteSourceFolder folder) throws Exception {
        SftpEndpoint endpoint = getContext().getEndpoint("sftp://" + source.username() + "@" + source.url().getHost()
                + ":" + source.port() + source.url().getPath() // relative to the login folder
                + "?noop=true&autoCreate=false&disconnect=true"
                + "&include=" + DesignationImportRoutes.INCLUDE
                + "&idempotentKey=${file:name}-${file:size}-${file:modified}"
                // A file still being written is taken once it has not changed for a second; no lock file on the server.
                + "&readLock=changed&readLockMinAge=1000&readLockCheckInterval=1000&readLockMarkerFile=false"
                + "&strictHostKeyChecking=yes&useUserKnownHostsFile=false"
                + "&throwExceptionOnConnectFailed=true&maximumReconnectAttempts=0" // BackOffPollStrategy retries
                + "&streamDownload=true"
                + "&initialDelay=1000&delay=" + source.pollInterval().toMillis()
                + "&connectTimeout=" + source.connectTimeout().toMillis()
                + "&soTimeout=" + source.readTimeout().toMillis(), SftpEndpoint.class);
        // Secrets and keys by setter, never in the endpoint's URI (which is logged).
        SftpConfiguration sftp = endpoint.getConfiguration();
        sftp.setPassword(source.password());
        if (source.privateKeyFile() != null) {
            sftp.setPrivateKeyFile(source.privateKeyFile().toString());
            sftp.setPrivateKeyPassphrase(source.privateKeyPassphrase());
        }
        if (source.knownHostsFile() != null) {
            sftp.setKnownHostsFile(source.knownHostsFile().toString());
        } else {
            // known_hosts names a server on another port than 22 as [host]:port
            String host = source.port() == 22 ? source.url().getHost() : "[" + source.url().getHost() + "]:" + source.port();
            sftp.setKnownHosts((host + " " + source.hostKeyTypeAndKey() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        IdempotentRepository processed = FileIdempotentRepository.fileIdempotentRepository(
                folder.resolve("processed-files.txt").toFile(), 1000);
        getContext().addService(processed);
        endpoint.setIdempotent(true);
        endpoint.setIdempotentRepository(processed);
        endpoint.setPollStrategy(new BackOffPollStrategy(source.sourceName(), retries));
        endpoint.setFilter(folder.filing().asFileFilter());

        from(endpoint)
                .routeId(source.routeId())
                // Camel would otherwise read the whole stream into its cache before the route starts.
                .noStreamCaching()
                .onException(DirectoryUnavailableException.class)
                    .maximumRedeliveries(retries.maximum()).redeliveryDelay(retries.first().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    // The exchange fails, so the file is not remembered: a later poll takes it again.
                    .handled(false)
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(exchange -> fileFailure(exchange, source, folder, null))
                .end()
                .process(exchange -> takeSftpFile(exchange, source, folder));
    }

    private void takeSftpFile(Exchange exchange, RemoteSource source, RemoteSourceFolder folder)
            throws DirectoryUnavailableException, IOException {
        String fileName = sftpFileName(exchange);
        long listedSize = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, -1L, Long.class);
        if (listedSize > service.maximumFileSize()) {
            // Refused as the upload and the watched folder refuse it, without fetching what would be thrown away.
            ImportReport report = service.refuse(fileName, source.sourceName(), service.tooLarge(listedSize));
            log.warn("Polling {}: {} refused unread, {} bytes over the limit of {}", source.sourceName(), fileName,
                    listedSize, service.maximumFileSize());
            folder.fileFailure(fileName, fileName + " too large: " + listedSize, JsonAnswers.text(report));
            return;
        }
        importAndFile(source, folder, fileName, sftpContent(exchange));
    }

    private void importAndFile(RemoteSource source, RemoteSourceFolder folder, String fileName, byte[] content)
            throws DirectoryUnavailableException {
        ImportReport report = service.importFile(fileName, content, source.sourceName(), false);
        folder.file(fileName, content, report.rejected(), JsonAnswers.text(report));
    }

    /** The SFTP file's name and bytes (an empty file has no body). */
    private static String sftpFileName(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }

    /**
     * The SFTP file's bytes, read from the stream once (and kept as the body for the error handler), never more than
     * one byte beyond the import's limit: a file that grew after it was listed is refused by the import, not held whole.
     * Camel closes the stream when the exchange is done.
     */
    private byte[] sftpContent(Exchange exchange) throws IOException {
        if (exchange.getMessage().getBody() instanceof byte[] read) {
            return read;
        }
        InputStream stream = exchange.getMessage().getBody(InputStream.class);
        byte[] content = stream == null ? new byte[0]
                : stream.readNBytes((int) Math.min(service.maximumFileSize() + 1, Integer.MAX_VALUE - 8));
        exchange.getMessage().setBody(content);
        return content;
    }

    /** What could be read of the file, for filing it beside a failure's report. */
    private byte[] sftpContentOrNothing(Exchange exchange) {
        try {
            return sftpContent(exchange);
        } catch (IOException | RuntimeException unreadable) {
            return new byte[0];
        }
    }

    private void fileRefusal(Exchange exchange, RemoteSource source, RemoteSourceFolder folder, HttpListFetcher fetcher) {
        SourceRefusedException refusal = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SourceRefusedException.class);
        log.warn("Polling {}: {}", source.sourceName(), refusal.getMessage());
        folder.fileFailure(fetcher.fileName(), refusal.getMessage(), JsonAnswers.text(
                DesignationImportService.fetchFailed(refusal.messageJa(), refusal.messageEn(), refusal.reason())));
    }

    /** Not the servers' absence: file the list (if there is one) under error/ with the reason, and do not retry it. */
    private void fileFailure(Exchange exchange, RemoteSource source, RemoteSourceFolder folder, HttpListFetcher fetcher) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("Designation import from {} failed", source.sourceName(), failure);
        String report = JsonAnswers.text(DesignationImportService.unexpected(failure));
        if (fetcher == null) {
            folder.file(sftpFileName(exchange), sftpContentOrNothing(exchange), true, report);
        } else if (exchange.getMessage().getBody() instanceof FetchedList list) {
            folder.file(list.fileName(), list.content(), true, report);
            fetcher.remember(list);
        } else {
            folder.fileFailure(fetcher.fileName(), String.valueOf(failure), report);
        }
    }

    private SSLContext sslContext(RemoteSource source) throws NoSuchAlgorithmException {
        if (source.sslBundle() == null) {
            return SSLContext.getDefault();
        }
        try {
            if (sslBundles == null) {
                throw new NoSuchSslBundleException(source.sslBundle(), "no SSL bundles are configured");
            }
            return sslBundles.getBundle(source.sslBundle()).createSslContext();
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("Remote source " + source.id() + ": ssl-bundle " + source.sslBundle()
                    + " is not configured under spring.ssl.bundle", e);
        }
    }
}
