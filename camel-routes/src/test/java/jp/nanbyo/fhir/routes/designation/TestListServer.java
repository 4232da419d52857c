package jp.nanbyo.fhir.routes.designation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jp.nanbyo.fhir.routes.TestCertificates;
import jp.nanbyo.fhir.routes.TestCertificates.SelfSigned;

/**
 * A real HTTP or HTTPS server on loopback (the JDK's) that serves lists as a prefecture's web site
 * would: with an ETag, answering 304 to a matching {@code If-None-Match}; or failing with a status
 * for a number of requests first. HTTPS uses a self-signed certificate made for this run
 * ({@link TestCertificates}); {@link #trustStore()} trusts it. Records every request.
 */
public final class TestListServer implements AutoCloseable {

    public static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;

    /** One request as the server saw it, and what it answered. */
    public record Request(String path, Instant at, String ifNoneMatch, int status) {
    }

    private record Answer(byte[] content, boolean validators, int failuresLeft, int failureStatus) {
    }

    private final HttpServer server;
    private final String scheme;
    private final Path trustStore;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private TestListServer(HttpServer server, String scheme, Path trustStore) {
        this.server = server;
        this.scheme = scheme;
        this.trustStore = trustStore;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public static TestListServer http() {
        try {
            return new TestListServer(HttpServer.create(loopback(), 0), "http", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS server whose certificate (for 127.0.0.1 and localhost) is trusted by {@code <folder>/trust.p12} only. */
    public static TestListServer https(Path folder) {
        SelfSigned certificate = TestCertificates.selfSigned(folder, "list-server");
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            return new TestListServer(server, "https", certificate.trustStore());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PKCS12, password {@link #STORE_PASSWORD}: trusts this server's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    public URI url(String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves the list with an ETag, and answers 304 to a request that already has it. */
    public void serve(String path, byte[] content) {
        answers.put(path, new Answer(content, true, 0, 0));
    }

    /** Serves the list with neither ETag nor Last-Modified, as some servers do: always the whole file. */
    public void serveWithoutValidators(String path, byte[] content) {
        answers.put(path, new Answer(content, false, 0, 0));
    }

    /** Answers {@code status} to the next {@code times} requests, then serves the list with an ETag. */
    public void failThenServe(String path, int times, int status, byte[] content) {
        answers.put(path, new Answer(content, true, times, status));
    }

    /** Answers {@code status} (e.g. 404) to every request. */
    public void answer(String path, int status) {
        answers.put(path, new Answer(null, false, Integer.MAX_VALUE, status));
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        Answer answer = answers.get(path);
        int status;
        byte[] body = new byte[0];
        if (answer == null) {
            status = 404;
        } else if (answer.failuresLeft() > 0) {
            status = answer.failureStatus();
            answers.put(path, new Answer(answer.content(), answer.validators(), answer.failuresLeft() - 1,
                    answer.failureStatus()));
        } else {
            String etag = "\"" + DesignationImporter.sha256(answer.content()).substring(0, 16) + "\"";
            if (answer.validators()) {
                exchange.getResponseHeaders().add("ETag", etag);
                exchange.getResponseHeaders().add("Last-Modified", "Mon, 01 Sep 2025 00:00:00 GMT");
            }
            if (answer.validators() && etag.equals(ifNoneMatch)) {
                status = 304;
            } else {
                status = 200;
                body = answer.content();
                exchange.getResponseHeaders().add("Content-Type", "text/csv; charset=UTF-8");
            }
        }
        requests.add(new Request(path, Instant.now(), ifNoneMatch, status));
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            in.readAllBytes();
            exchange.sendResponseHeaders(status, status == 304 || body.length == 0 ? -1 : body.length);
            out.write(body);
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
