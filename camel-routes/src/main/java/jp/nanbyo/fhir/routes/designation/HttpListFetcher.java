package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import jp.nanbyo.fhir.routes.common.HttpStatuses;

/**
 * Fetches one list from an HTTPS (or HTTP) URL with a conditional GET, and remembers in a small file
 * what it last handed over (ETag, Last-Modified, SHA-256), so that an unchanged list is neither
 * downloaded nor imported again, also after a restart. Plain Java: the route decides what to do
 * with the answer.
 */
final class HttpListFetcher {

    /** A list that is new since the last one {@link #remember remembered}. */
    record FetchedList(String fileName, byte[] content, String sha256, String etag, String lastModified) {
    }

    private final URI url;
    private final HttpClient client;
    private final Duration readTimeout;
    private final long maximumBytes;
    private final Path stateFile;
    private final Properties last = new Properties();

    /**
     * @param sslContext whom to trust for https (the JVM's default when no SSL bundle is configured)
     * @param maximumBytes the import's size limit: the download stops one byte after it (the import then rejects the list)
     * @param stateFile where the validators of the last list are kept
     */
    HttpListFetcher(URI url, SSLContext sslContext, Duration connectTimeout, Duration readTimeout, long maximumBytes,
            Path stateFile) {
        this.url = url;
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
                .build();
        this.readTimeout = readTimeout;
        this.maximumBytes = maximumBytes;
        this.stateFile = stateFile;
        if (Files.exists(stateFile)) {
            try (Reader in = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
                last.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The list, or empty when it has not changed (HTTP 304, or the same bytes as the last one).
     *
     * @throws SourceUnavailableException the server is down, overloaded or slow: worth retrying soon
     * @throws SourceRefusedException the server refuses (4xx) or is not trusted: retrying soon will not help
     */
    Optional<FetchedList> fetch() throws SourceUnavailableException, SourceRefusedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(readTimeout).GET();
        if (last.getProperty("etag") != null) {
            request.header("If-None-Match", last.getProperty("etag"));
        }
        if (last.getProperty("last-modified") != null) {
            request.header("If-Modified-Since", last.getProperty("last-modified"));
        }
        HttpResponse<InputStream> response = send(request.build());
        int status = response.statusCode();
        byte[] content;
        try (InputStream body = response.body()) {
            content = status == 200 ? body.readNBytes((int) Math.min(maximumBytes + 1, Integer.MAX_VALUE - 8)) : null;
        } catch (IOException e) {
            throw new SourceUnavailableException("Reading the list from " + url + " failed: " + e, e);
        }
        if (status == 304) {
            return Optional.empty();
        }
        if (HttpStatuses.mayPass(status)) {
            throw new SourceUnavailableException("HTTP " + status + " from " + url, null);
        }
        if (status != 200) {
            throw SourceRefusedException.status(url, status);
        }
        FetchedList list = new FetchedList(fileName(), content, DesignationImporter.sha256(content),
                response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue("Last-Modified").orElse(null));
        if (list.sha256().equals(last.getProperty("sha256"))) {
            remember(list); // the server has new validators for the same bytes
            return Optional.empty();
        }
        return Optional.of(list);
    }

    /** Called once the list has been dealt with (imported, or filed as rejected or failed): not fetched again. */
    void remember(FetchedList list) {
        Properties state = new Properties();
        state.setProperty("sha256", list.sha256());
        if (list.etag() != null) {
            state.setProperty("etag", list.etag());
        }
        if (list.lastModified() != null) {
            state.setProperty("last-modified", list.lastModified());
        }
        try {
            Files.createDirectories(stateFile.getParent());
            Path written = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
                state.store(out, "The last list fetched from " + url);
            }
            Files.move(written, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        last.clear();
        last.putAll(state);
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws SourceUnavailableException, SourceRefusedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (SSLHandshakeException e) {
            throw SourceRefusedException.untrusted(url, e);
        } catch (IOException e) {
            throw new SourceUnavailableException("Could not fetch " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("Interrupted while fetching " + url, e);
        }
    }

    /** The last segment of the URL's path ({@code gunma.csv}); the format is told by content anyway. */
    String fileName() {
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? "list.csv" : name;
    }

    /** The server is down, overloaded (5xx, 408, 429) or too slow: a transient fault. */
    static final class SourceUnavailableException extends IOException {

        SourceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server refuses the download or cannot be trusted: retrying at once will not help. */
    static final class SourceRefusedException extends Exception {

        private final String messageJa;
        private final String reason;

        private SourceRefusedException(String messageJa, String messageEn, String reason, Throwable cause) {
            super(messageEn, cause);
            this.messageJa = messageJa;
            this.reason = reason;
        }

        static SourceRefusedException status(URI url, int status) {
            return new SourceRefusedException(
                    url + " が HTTP " + status + " を返したため、一覧を取得できませんでした。URL とアクセス権を確認してください。"
                            + "何も取り込んでいません。次回の取得時刻に再試行します。",
                    url + " answered HTTP " + status + ", so the list was not fetched; check the URL and the access"
                            + " rights. Nothing was imported; the next poll tries again.",
                    "HTTP " + status, null);
        }

        static SourceRefusedException untrusted(URI url, SSLHandshakeException cause) {
            return new SourceRefusedException(
                    url + " との TLS 接続を確立できませんでした (サーバー証明書が信頼されていないか、ハンドシェイクに失敗)。"
                            + "ssl-bundle の設定を確認してください。何も取り込んでいません。次回の取得時刻に再試行します。",
                    "No TLS connection to " + url + ": the server's certificate is not trusted or the handshake"
                            + " failed; check the source's ssl-bundle. Nothing was imported; the next poll tries again.",
                    cause.toString(), cause);
        }

        String messageJa() {
            return messageJa;
        }

        String messageEn() {
            return getMessage();
        }

        /** What the server answered, for operators: {@code HTTP 404}, or the TLS exception. */
        String reason() {
            return reason;
        }
    }
}
