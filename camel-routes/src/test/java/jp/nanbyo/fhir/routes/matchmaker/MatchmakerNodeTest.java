package jp.nanbyo.fhir.routes.matchmaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The test node answers as the MME spec says a node must, also to requests our client never sends (so that a
 * green client test means something).
 */
class MatchmakerNodeTest {

    static final String VALID = "{\"patient\": {\"id\": \"X\", \"contact\": {\"name\": \"n\", \"href\": \"mailto:n@example.org\"},"
            + " \"features\": [{\"id\": \"HP:0001250\"}]}}";

    final MatchmakerNode node = MatchmakerNode.http("t");
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopNode() {
        node.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "application/json                             | 415 | Content-Type must be",
        "application/vnd.ga4gh.matchmaker.v0.9+json   | 406 | unsupported API version",
        "application/vnd.ga4gh.matchmaker.v1.1+json   | 200 | results"})
    void checksTheMediaTypeVersion(String contentType, int status, String answer) throws Exception {
        HttpResponse<String> response = post(contentType, VALID);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains(answer);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MatchmakerNode.MEDIA_TYPE);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"nopatient\": {}}                                                            | no patient",
        "{\"patient\": {\"id\": \"X\", \"features\": [{\"id\": \"HP:0001250\"}]}}      | no contact",
        "{\"patient\": {\"id\": \"X\", \"contact\": {\"name\": \"n\", \"href\": \"mailto:n@example.org\"}}} | neither features nor genomicFeatures",
        "not json                                                                       | not JSON"})
    void refusesAnInvalidBodyWith400(String body, String message) throws Exception {
        HttpResponse<String> response = post(MatchmakerNode.MEDIA_TYPE, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"message\":").contains(message);
    }

    @Test
    void theHeartbeatAnswersAsHeartbeatApiDescribes() throws Exception {
        URI heartbeat = URI.create(node.matchUrl().toString().replace("/match", "/heartbeat"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(heartbeat).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"accept\":[\"" + MatchmakerNode.MEDIA_TYPE + "\"]");
        node.heartbeatDown(true);
        assertThat(http.send(HttpRequest.newBuilder(heartbeat).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(503);
    }

    @Test
    void nothingListensWhileDownAndTheSamePortServesAgainWhenUp() throws Exception {
        int port = node.matchUrl().getPort();

        node.down();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        node.up();
        assertThat(node.matchUrl().getPort()).isEqualTo(port);
        assertThat(post(MatchmakerNode.MEDIA_TYPE, VALID).statusCode()).isEqualTo(200);
        assertThat(node.requests("/match")).isEqualTo(1);
    }

    private HttpResponse<String> post(String contentType, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(node.matchUrl())
                        .header("Content-Type", contentType)
                        .header("X-Auth-Token", "t")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
