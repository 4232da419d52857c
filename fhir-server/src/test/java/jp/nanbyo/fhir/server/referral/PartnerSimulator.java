package jp.nanbyo.fhir.server.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.routes.TestCertificates.SelfSigned;

/**
 * A partner for the benchmark: an HTTPS server on loopback that takes FHIR transactions as a registry's server would
 * answer them (200, a transaction-response) without storing anything, and notes when each referral (its Task's
 * identifier) first arrived and how many times. It can be down (nothing listens) for an outage.
 */
final class PartnerSimulator extends LoopbackHttpsPartner {

    record Receipt(long firstNanos, AtomicInteger times) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();

    PartnerSimulator(SelfSigned certificate) {
        super(certificate, 100, () -> Executors.newFixedThreadPool(8));
    }

    /** Our identifier value of each referral's Task ({@code Task/123}) → when it first arrived, how many times. */
    Map<String, Receipt> receipts() {
        return receipts;
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            JsonNode bundle = JSON.readTree(exchange.getRequestBody());
            StringBuilder answer = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[");
            int n = 0;
            for (JsonNode entry : bundle.path("entry")) {
                JsonNode resource = entry.path("resource");
                if ("Task".equals(resource.path("resourceType").asText())) {
                    String task = resource.path("identifier").path(0).path("value").asText();
                    receipts.computeIfAbsent(task, key -> new Receipt(now, new AtomicInteger())).times().incrementAndGet();
                }
                answer.append(n++ == 0 ? "" : ",").append("{\"response\":{\"status\":\"201 Created\",\"location\":\"")
                        .append(resource.path("resourceType").asText()).append('/').append(n).append("/_history/1\"}}");
            }
            byte[] body = answer.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
