package jp.nanbyo.fhir.routes.matchmaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import jp.nanbyo.fhir.routes.TestCertificates;
import jp.nanbyo.fhir.routes.TestCertificates.SelfSigned;

/**
 * A real GA4GH Matchmaker Exchange node on loopback (the JDK's HTTP server), for tests here and in fhir-server:
 * {@code POST <base>/match} as mme-apis search-api.md v1.0 describes it (token, media-type version, body checks,
 * matching by HPO overlap against patients the test adds) and {@code GET <base>/heartbeat} as heartbeat-api.md
 * describes it. The base is {@value #BASE_PATH}. HTTPS uses a self-signed certificate made for this run
 * ({@link TestCertificates}); {@link #trustStore()} trusts it.
 *
 * <p>It can misbehave as real nodes do, switched at any time: {@link #down()} / {@link #up()}, {@link #slow},
 * {@link #failWith}, {@link #heartbeatDown}, {@link #resetMidResponse()}, {@link #answerNextMatch},
 * {@link #answerNextMatchEndlessly()}. It records
 * what it received, so that a test can prove what left our server.
 */
public final class MatchmakerNode implements AutoCloseable {

    public static final String MEDIA_TYPE = "application/vnd.ga4gh.matchmaker.v1.0+json";
    public static final String BASE_PATH = "/mme";
    public static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;

    private static final Pattern MME_MEDIA_TYPE =
            Pattern.compile("application/vnd\\.ga4gh\\.matchmaker\\.v(\\d+)\\.(\\d+)\\+json(;.*)?", Pattern.CASE_INSENSITIVE);

    private record Known(String id, Set<String> features, Set<String> genes) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final String token;
    private final SelfSigned certificate;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "matchmaker-node");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Known> patients = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicReference<String> lastMatchBody = new AtomicReference<>();
    private final Map<String, String> lastMatchHeaders = new ConcurrentHashMap<>();
    private final AtomicBoolean resetNext = new AtomicBoolean();
    private final AtomicBoolean endlessNext = new AtomicBoolean();
    private final AtomicLong endlessBytesSent = new AtomicLong();
    private final AtomicReference<Answer> nextAnswer = new AtomicReference<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile int failStatus;
    private volatile boolean heartbeatDown;
    private HttpServer server;
    private final int port;

    private MatchmakerNode(String token, SelfSigned certificate) {
        this.token = token;
        this.certificate = certificate;
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    /** A plain-HTTP node that accepts {@code token} as {@code X-Auth-Token}. */
    public static MatchmakerNode http(String token) {
        return new MatchmakerNode(token, null);
    }

    /** An HTTPS node whose certificate (127.0.0.1, localhost) is trusted by {@code <folder>/trust.p12} only. */
    public static MatchmakerNode https(Path folder, String token) {
        return new MatchmakerNode(token, TestCertificates.selfSigned(folder, "matchmaker-node"));
    }

    /** {@code http(s)://127.0.0.1:<port>/mme/match}; the heartbeat is {@code …/mme/heartbeat}. */
    public URI matchUrl() {
        return URI.create((certificate == null ? "http" : "https") + "://127.0.0.1:" + port + BASE_PATH + "/match");
    }

    /** PKCS12, password {@link #STORE_PASSWORD}: trusts this node's certificate (null for an HTTP node). */
    public Path trustStore() {
        return certificate == null ? null : certificate.trustStore();
    }

    /** An SSLContext that trusts this node's certificate and no other. */
    public SSLContext trustingContext() {
        return certificate.clientContext();
    }

    /** A patient this node holds, with its observed HPO features and candidate genes (symbols). */
    public void addPatient(String id, List<String> features, List<String> genes) {
        patients.add(new Known(id, Set.copyOf(features), Set.copyOf(genes)));
    }

    /** Nothing listens on the port until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again, on the same port. */
    public synchronized void up() {
        if (server == null) {
            server = start(port);
        }
    }

    /** Each {@code /match} answer waits this long first ({@link Duration#ZERO}: prompt again). */
    public void slow(Duration delay) {
        this.delay = delay;
    }

    /** Every {@code /match} answers {@code status} (0: normal again); the heartbeat still answers 200. */
    public void failWith(int status) {
        this.failStatus = status;
    }

    /** The heartbeat answers 503 while true. */
    public void heartbeatDown(boolean down) {
        this.heartbeatDown = down;
    }

    /**
     * The next {@code /match} sends its status line and half its body, then the connection is closed (the node
     * restarts on the same port, dropping every open connection).
     */
    public void resetMidResponse() {
        resetNext.set(true);
    }

    /**
     * The next {@code /match} answers 200 and a body that does not end (up to 1 GB, while the client keeps reading);
     * {@link #endlessBytesSent()} says how much of it went out.
     */
    public void answerNextMatchEndlessly() {
        endlessNext.set(true);
    }

    public long endlessBytesSent() {
        return endlessBytesSent.get();
    }

    /** The next {@code /match} answers exactly this, whatever it asked (a proxy's error page, say). */
    public void answerNextMatch(int status, String contentType, String body) {
        nextAnswer.set(new Answer(status, contentType, body));
    }

    /** How many requests reached {@code path} ({@code /match} or {@code /heartbeat}, below the base). */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** The body of the last {@code /match} received (UTF-8), or null. */
    public String lastMatchBody() {
        return lastMatchBody.get();
    }

    /** A header of the last {@code /match} received (lower-case name), or null. */
    public String lastMatchHeader(String name) {
        return lastMatchHeaders.get(name.toLowerCase());
    }

    @Override
    public synchronized void close() {
        down();
        executor.shutdownNow();
    }

    private HttpServer start(int onPort) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
        try {
            HttpServer started;
            if (certificate == null) {
                started = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
                started = https;
            }
            started.createContext(BASE_PATH + "/", this::handle);
            started.setExecutor(executor);
            started.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
            requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (path) {
                case "/heartbeat" -> heartbeat(exchange);
                case "/match" -> match(exchange, body);
                default -> send(exchange, 404, MEDIA_TYPE, error("no such resource"));
            }
        }
    }

    private void heartbeat(HttpExchange exchange) throws IOException {
        if (heartbeatDown) {
            send(exchange, 503, "application/json", error("heartbeat down"));
            return;
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.putObject("heartbeat").put("production", false).put("version", "test")
                .putArray("accept").add(MEDIA_TYPE);
        send(exchange, 200, "application/json", answer.toString());
    }

    private void match(HttpExchange exchange, byte[] body) throws IOException {
        lastMatchBody.set(new String(body, StandardCharsets.UTF_8));
        lastMatchHeaders.clear();
        exchange.getRequestHeaders().forEach((name, values) -> lastMatchHeaders.put(name.toLowerCase(), values.get(0)));
        pause();
        Answer canned = nextAnswer.getAndSet(null);
        if (resetNext.getAndSet(false)) {
            resetMidway(exchange);
        } else if (endlessNext.getAndSet(false)) {
            answerEndlessly(exchange);
        } else if (failStatus != 0) {
            send(exchange, failStatus, MEDIA_TYPE, error("the test node fails with HTTP " + failStatus));
        } else if (canned != null) {
            send(exchange, canned.status(), canned.contentType(), canned.body());
        } else if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, MEDIA_TYPE, error("POST only"));
        } else if (!token.equals(exchange.getRequestHeaders().getFirst("X-Auth-Token"))) {
            send(exchange, 401, MEDIA_TYPE, error("invalid API key"));
        } else {
            String refusal = versionRefusal(exchange);
            if (refusal != null) {
                send(exchange, refusal.startsWith("415") ? 415 : 406, MEDIA_TYPE, refusal.substring(4));
            } else {
                answerMatch(exchange, body);
            }
        }
    }

    /** "406 {…}" or "415 {…}" when the request's media types are not ours, else null. */
    private String versionRefusal(HttpExchange exchange) {
        Matcher contentType = MME_MEDIA_TYPE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        if (!contentType.matches()) {
            return "415 " + error("Content-Type must be " + MEDIA_TYPE);
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        Matcher accepted = MME_MEDIA_TYPE.matcher(accept == null ? MEDIA_TYPE : accept);
        if (!"1".equals(contentType.group(1)) || (accepted.matches() && !"1".equals(accepted.group(1)))) {
            ObjectNode message = mapper.createObjectNode().put("message", "unsupported API version");
            message.putArray("supportedVersions").add("1.0");
            return "406 " + message;
        }
        return null;
    }

    private void answerMatch(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode patient;
        try {
            patient = mapper.readTree(body).path("patient");
        } catch (IOException e) {
            send(exchange, 400, MEDIA_TYPE, error("the body is not JSON"));
            return;
        }
        String invalid = !patient.isObject() ? "no patient"
                : !patient.path("id").isTextual() ? "no patient.id"
                : !patient.path("contact").path("name").isTextual() || !patient.path("contact").path("href").isTextual()
                        ? "no contact with name and href"
                : patient.path("features").isEmpty() && patient.path("genomicFeatures").isEmpty()
                        ? "neither features nor genomicFeatures" : null;
        if (invalid != null) {
            send(exchange, 400, MEDIA_TYPE, error("missing/invalid data: " + invalid));
            return;
        }
        Set<String> features = new HashSet<>();
        patient.path("features").forEach(feature -> {
            if (!"no".equals(feature.path("observed").asText())) {
                features.add(feature.path("id").asText());
            }
        });
        Set<String> genes = new HashSet<>();
        patient.path("genomicFeatures").forEach(feature -> genes.add(feature.path("gene").path("id").asText()));
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode results = answer.putArray("results");
        patients.stream()
                .map(known -> Map.entry(known, score(features, genes, known)))
                .filter(scored -> scored.getValue() > 0)
                .sorted(Map.Entry.<Known, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(scored -> results.add(result(scored.getKey(), scored.getValue())));
        send(exchange, 200, MEDIA_TYPE, answer.toString());
    }

    /** Shared / all observed features (Jaccard); a shared gene brings the score halfway to 1. */
    private static double score(Set<String> features, Set<String> genes, Known known) {
        Set<String> union = new HashSet<>(features);
        union.addAll(known.features());
        Set<String> shared = new HashSet<>(features);
        shared.retainAll(known.features());
        double score = union.isEmpty() ? 0 : (double) shared.size() / union.size();
        if (genes.stream().anyMatch(known.genes()::contains)) {
            score = (score + 1) / 2;
        }
        return Math.round(score * 100) / 100.0;
    }

    private ObjectNode result(Known known, double score) {
        ObjectNode result = mapper.createObjectNode();
        result.putObject("score").put("patient", score);
        ObjectNode patient = result.putObject("patient").put("id", known.id()).put("label", "test case " + known.id());
        patient.putObject("contact").put("name", "IRUD Exchange 窓口 (test)").put("institution", "IRUD")
                .put("href", "mailto:exchange@irud.example");
        patient.put("species", "NCBITaxon:9606");
        ArrayNode features = patient.putArray("features");
        known.features().stream().sorted()
                .forEach(feature -> features.addObject().put("id", feature).put("observed", "yes"));
        ArrayNode genes = patient.putArray("genomicFeatures");
        known.genes().stream().sorted().forEach(gene -> genes.addObject().putObject("gene").put("id", gene));
        result.put("_testNode", true); // a non-standard field, which a client must tolerate
        return result;
    }

    private void resetMidway(HttpExchange exchange) throws IOException {
        ObjectNode answer = mapper.createObjectNode();
        answer.putArray("results");
        answer.put("_padding", "x".repeat(4096));
        byte[] whole = answer.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        exchange.sendResponseHeaders(200, whole.length);
        OutputStream out = exchange.getResponseBody();
        out.write(whole, 0, whole.length / 2);
        out.flush();
        restart(); // the JDK server offers no way to close one connection: stopping closes them all
    }

    private void answerEndlessly(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        exchange.sendResponseHeaders(200, 0); // chunked: no length announced
        byte[] megabyte = " ".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"results\": [".getBytes(StandardCharsets.US_ASCII));
        try {
            for (int i = 0; i < 1024; i++) {
                out.write(megabyte);
                endlessBytesSent.addAndGet(megabyte.length);
            }
        } catch (IOException clientGone) {
            // the client stopped reading and closed the connection
        }
    }

    /** Drops every open connection and listens again on the same port, as a node that crashes and restarts. */
    private synchronized void restart() {
        if (server != null) {
            server.stop(0);
            server = start(port);
        }
    }

    private void pause() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String error(String message) {
        return mapper.createObjectNode().put("message", message).toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
