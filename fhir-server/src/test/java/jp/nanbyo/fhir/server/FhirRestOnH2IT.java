package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The REST contract on the default embedded database (an H2 file in a fresh data folder), and the
 * parts of the HTTP surface that browsers, API tools and monitoring use.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class FhirRestOnH2IT extends FhirRestContract {

    static final Path DATA_DIR = TestDataDir.fresh("it-h2-data-");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        // The contract makes its own data; DemoNetworkIT covers the demo network.
        registry.add("nanbyo.demo-data", () -> "false");
    }

    @Override
    String expectedDatabaseProduct() {
        return "H2";
    }

    @Test
    void keepsTheEmbeddedDatabaseInTheDataFolder() {
        assertThat(DATA_DIR.resolve("h2").resolve("nanbyo.mv.db")).isRegularFile();
    }

    // --- the HTTP surface, which does not depend on the database, so it is checked here only ---

    @Test
    void allowsCrossOriginCallsFromBrowsers() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Organization"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://postman.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://postman.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(methods -> assertThat(methods)
                .contains("POST", "PATCH"));
    }

    @Test
    void compressesResponsesForClientsThatAcceptGzip() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(unzipped.readAllBytes(), StandardCharsets.UTF_8)).contains("CapabilityStatement");
        }
    }

    @Test
    void describesTheApiWithOpenApi() throws Exception {
        HttpResponse<String> description = get("/api-docs", null);
        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.body()).startsWith("openapi: 3").contains("title: Nanbyo FHIR Server");

        HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/swagger-ui/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
    }

    @Test
    void reportsHealthWithTheDatabaseAndPrometheusMetrics() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(rootUrl() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"");

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(rootUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds", "hikaricp_connections_active");
    }

    @Test
    void showsTheReferralExchangeInHealthAsTheDocsNameIt() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(rootUrl() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        // docs/integration/referral-exchange.md, 9: component referralExchange, each partner's wait and the threshold.
        // It was referralExchangeHealth (the bean's name), with no details.
        JsonNode component = JSON.readTree(health.body()).path("components").path("referralExchange");
        assertThat(component.path("status").asText()).isEqualTo("UP");
        assertThat(component.path("details").path("queueAgeWarning").asText()).isEqualTo("300 s");
        assertThat(component.path("details").path("oldestWaiting").isObject()).isTrue();
    }
}
