package jp.nanbyo.fhir.server.referral;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.routes.TestCertificates.SelfSigned;

/**
 * A partner registry's HTTPS front door on loopback, in front of a real FHIR server (the registry stand-in), that
 * can misbehave on demand: be down (nothing listens), slow, answer a status of its own without passing the request
 * on (a 503, a 422), or pass the request on and cut the answer off half-way (the partner committed, we never hear).
 * Counts what reached it and what it passed on.
 */
final class PartnerFront extends LoopbackHttpsPartner {

    private final URI target;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Duration delay = Duration.ZERO;
    private volatile int ownStatus;
    private final java.util.concurrent.atomic.AtomicReference<String> cutAnswerTo = new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger passedOn = new AtomicInteger();

    PartnerFront(SelfSigned certificate, URI target) {
        super(certificate, 0, Executors::newCachedThreadPool);
        this.target = target;
    }

    void slow(Duration delay) {
        this.delay = delay;
    }

    /** Answers {@code status} itself (0: pass requests on again). */
    void answerWith(int status) {
        this.ownStatus = status;
    }

    /** The next request whose body contains {@code marker} is passed on, and its answer cut off half-way. */
    void cutAnswerTo(String marker) {
        cutAnswerTo.set(marker);
    }

    int received() {
        return received.get();
    }

    int passedOn() {
        return passedOn.get();
    }

    void normal() {
        delay = Duration.ZERO;
        ownStatus = 0;
        cutAnswerTo.set(null);
        up();
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        received.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            int own = ownStatus;
            if (own != 0) {
                byte[] outcome = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
                        + (own >= 500 ? "transient" : "business-rule") + "\",\"diagnostics\":\"partner front answers " + own + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(own, outcome.length);
                exchange.getResponseBody().write(outcome);
                return;
            }
            String path = exchange.getRequestURI().getRawPath().replaceFirst("^/fhir", "");
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            request.header("Accept", "application/fhir+json");
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            passedOn.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", answer.headers().firstValue("Content-Type").orElse("application/fhir+json"));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            OutputStream out = exchange.getResponseBody();
            String marker = cutAnswerTo.get();
            if (marker != null && new String(body, StandardCharsets.UTF_8).contains(marker) && cutAnswerTo.compareAndSet(marker, null)) {
                out.write(answer.body(), 0, answer.body().length / 2);
                out.flush();
                // Closing the exchange with bytes missing drops the connection: the client reads a truncated answer.
                return;
            }
            out.write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
