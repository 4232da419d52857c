package jp.nanbyo.fhir.server.subscription;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber's rest-hook endpoint on loopback (the JDK's HTTP server): every request to a path is recorded,
 * and answered as that path is told (by default 204 No Content). One receiver serves several subscribers, one
 * path each.
 */
public final class LoopbackReceiver implements AutoCloseable {

    /** A request as the receiver saw it. */
    public record Received(String method, String path, String contentType, String authorization, String body) {
    }

    /** An answer: status, content type and body (empty for none). */
    public record Answer(int status, String contentType, String body) {
        static final Answer NO_CONTENT = new Answer(204, null, "");
        static final Answer TRANSACTION_RESPONSE = new Answer(200, "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}");
        static final Answer UNAVAILABLE = new Answer(503, "text/plain", "down for maintenance");
        static final Answer PLAIN_OK = new Answer(200, "text/plain", "OK");
    }

    private final HttpServer server;
    private final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Answer> usualAnswers = new ConcurrentHashMap<>();
    private final Map<String, Deque<Answer>> nextAnswers = new ConcurrentHashMap<>();

    public LoopbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The endpoint URL of a subscriber, e.g. {@code http://127.0.0.1:40123/gunma}. */
    public String endpoint(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** How {@code path} answers from now on. */
    public void answer(String path, Answer answer) {
        usualAnswers.put("/" + path, answer);
    }

    /** How {@code path} answers its next requests, one each, before its usual answer. */
    void answerFirst(String path, Answer... answers) {
        nextAnswers.put("/" + path, new ArrayDeque<>(List.of(answers)));
    }

    /** The next request to {@code path}, waiting at most {@code timeout}; fails if none comes. */
    public Received next(String path, Duration timeout) throws InterruptedException {
        Received request = queue("/" + path).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            throw new AssertionError("No request to /" + path + " within " + timeout.toSeconds() + " s");
        }
        return request;
    }

    /** Every request to {@code path} that came within {@code wait} (none may come: that is what some tests check). */
    public List<Received> drain(String path, Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        List<Received> requests = new ArrayList<>();
        queue("/" + path).drainTo(requests);
        return requests;
    }

    private BlockingQueue<Received> queue(String path) {
        return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        queue(path).add(new Received(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        Deque<Answer> next = nextAnswers.get(path);
        Answer answer = next != null && !next.isEmpty() ? next.poll() : usualAnswers.getOrDefault(path, Answer.NO_CONTENT);
        byte[] content = answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), content.length == 0 ? -1 : content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
