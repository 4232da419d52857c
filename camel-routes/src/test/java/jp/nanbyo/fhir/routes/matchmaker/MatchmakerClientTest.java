package jp.nanbyo.fhir.routes.matchmaker;

import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.gene;
import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.hpo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.nanbyo.fhir.routes.matchmaker.MatchResponse.Match;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerException.Kind;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real node on loopback, healthy and misbehaving. */
class MatchmakerClientTest {

    static final String TOKEN = "irud-issued-token";
    static final Duration CONNECT = Duration.ofSeconds(2);
    static final Duration READ = Duration.ofSeconds(5);

    final MatchmakerNode node = MatchmakerNode.http(TOKEN);
    final MatchmakerClient client = new MatchmakerClient(CONNECT, READ, null);
    final ObjectNode request = new MatchRequestMapper().toMatchRequest("NB-7F3K2", MatchRequestMapperTest.CONTACT,
            AdministrativeGender.FEMALE, List.of(hpo("HP:0001250", "Seizure"), hpo("HP:0004322", "Short stature"),
                    gene("HGNC:12403", "TTN", "LA6706-1"))).orElseThrow();

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void readsTheMatchesTheNodeFinds() throws Exception {
        node.addPatient("P0001", List.of("HP:0001250", "HP:0004322"), List.of("TTN"));
        node.addPatient("P0002", List.of("HP:0001250", "HP:0000252"), List.of());
        node.addPatient("P0003", List.of("HP:0000365"), List.of("GJB2"));

        MatchResponse response = client.match(node.matchUrl(), TOKEN, request);

        assertThat(response.results()).extracting(Match::patientId).containsExactly("P0001", "P0002");
        Match best = response.results().get(0);
        assertThat(best.score()).isEqualTo(1.0);
        assertThat(best.features()).containsExactly("HP:0001250", "HP:0004322");
        assertThat(best.genes()).containsExactly("TTN");
        assertThat(best.contactHref()).isEqualTo("mailto:exchange@irud.example");
        assertThat(best.contactInstitution()).isEqualTo("IRUD");
        assertThat(best.json()).contains("\"_testNode\":true");
        assertThat(response.results().get(1).score()).isEqualTo(0.33);
        assertThat(node.lastMatchHeader("Content-Type")).isEqualTo(MatchmakerClient.MEDIA_TYPE);
        assertThat(node.lastMatchHeader("Accept")).isEqualTo(MatchmakerClient.MEDIA_TYPE);
        assertThat(node.lastMatchHeader("X-Auth-Token")).isEqualTo(TOKEN);
    }

    @Test
    void answersNoResultsWhenNothingResembles() throws Exception {
        node.addPatient("P0003", List.of("HP:0000365"), List.of("GJB2"));

        assertThat(client.match(node.matchUrl(), TOKEN, request).results()).isEmpty();
    }

    @Test
    void aWrongTokenIsRejectedWithoutAskingTheHeartbeat() {
        MatchmakerException e = failure(client, "someone-else's-token");

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("401", "invalid API key");
        assertThat(node.requests("/heartbeat")).isZero();
    }

    @Test
    void anApiVersionTheNodeDoesNotSpeakIsRejectedWith406() {
        MatchmakerClient oldClient = new MatchmakerClient(CONNECT, READ, null, "v0.9");

        MatchmakerException e = failure(oldClient, TOKEN);

        assertThat(node.lastMatchHeader("Content-Type")).isEqualTo("application/vnd.ga4gh.matchmaker.v0.9+json");
        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(406);
        assertThat(e.getMessage()).contains("unsupported API version");
    }

    @Test
    void aNodeThatIsDownIsPartnerDownAndReachableAgainWhenUp() throws Exception {
        node.down();

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.PARTNER_DOWN);
        assertThat(e.httpStatus()).isEqualTo(MatchmakerException.NO_STATUS);
        assertThat(e.getMessage()).contains("connection refused");
        assertThat(client.heartbeat(node.matchUrl())).isFalse();

        node.up();
        assertThat(client.heartbeat(node.matchUrl())).isTrue();
        assertThat(client.match(node.matchUrl(), TOKEN, request).results()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503, 504})
    void anOverloadedNodeWhoseHeartbeatAnswersIsTransient(int status) {
        node.failWith(status);

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.retryable()).isTrue();
        assertThat(node.requests("/heartbeat")).isEqualTo(1);
    }

    @Test
    void tooManyRequestsIsTransient() {
        node.failWith(429);

        assertThat(failure(client, TOKEN).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void a500WhileTheHeartbeatAnswersRejectsThisRequest() {
        node.failWith(500);

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.getMessage()).contains("heartbeat answers").doesNotContain("NB-7F3K2", "HP:0001250");
        assertThat(node.requests("/heartbeat")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void a5xxWhileTheHeartbeatFailsIsPartnerDown(int status) {
        node.failWith(status);
        node.heartbeatDown(true);

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.PARTNER_DOWN);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("heartbeat fails");
    }

    @Test
    void aNodeSlowerThanTheReadTimeoutIsPartnerDown() {
        MatchmakerClient impatient = new MatchmakerClient(CONNECT, Duration.ofMillis(300), null);
        node.slow(Duration.ofSeconds(3));

        long started = System.nanoTime();
        MatchmakerException e = failure(impatient, TOKEN);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(Kind.PARTNER_DOWN);
        assertThat(e.getMessage()).contains("read timeout");
    }

    @Test
    void aConnectionResetMidResponseIsPartnerDown() {
        node.resetMidResponse();

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.PARTNER_DOWN);
        assertThat(e.getMessage()).contains("reset");
        assertThat(node.requests("/match")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "text/html; charset=UTF-8                           | <html><body>Service Unavailable</body></html> | Content-Type",
        "application/json                                   | {\"results\": []}                              | Content-Type",
        "application/vnd.ga4gh.matchmaker.v2.0+json         | {\"results\": []}                              | Content-Type",
        "application/vnd.ga4gh.matchmaker.v1.0+json         | <html>maintenance</html>                      | not JSON",
        "application/vnd.ga4gh.matchmaker.v1.1+json         | {\"matches\": []}                              | no results array",
        "application/vnd.ga4gh.matchmaker.v1.0+json         | {\"results\": [{\"patient\": {\"id\": \"X\"}}]} | score.patient"})
    void a200ThatIsNotMatchmakerJsonIsRejected(String contentType, String body, String reason) {
        node.answerNextMatch(200, contentType, body);

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("not as a Matchmaker Exchange node", reason);
    }

    @Test
    void anAnswerWithoutEndIsCutOffAtTheLimitAndRejected() {
        node.answerNextMatchEndlessly();

        MatchmakerException e = failure(client, TOKEN);

        assertThat(e.kind()).as("the node answers, wrongly: asking again gets the same").isEqualTo(Kind.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("larger than 16 MB");
        assertThat(node.endlessBytesSent()).as("what the node got out before we stopped reading").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void acceptsAnotherMinorVersionAndUnknownFields() throws Exception {
        node.answerNextMatch(200, "application/vnd.ga4gh.matchmaker.v1.1+json; charset=UTF-8",
                "{\"disclaimer\": \"test\", \"results\": [{\"score\": {\"patient\": 0.5, \"_phenotype\": 0.4},"
                        + " \"patient\": {\"id\": \"Q1\", \"contact\": {\"name\": \"x\", \"href\": \"https://x.example\","
                        + " \"roles\": [\"clinician\"]}, \"features\": [{\"id\": \"HP:0001250\", \"observed\": \"no\"}],"
                        + " \"_new\": {}}}]}");

        MatchResponse response = client.match(node.matchUrl(), TOKEN, request);

        assertThat(response.results()).singleElement().satisfies(match -> {
            assertThat(match.patientId()).isEqualTo("Q1");
            assertThat(match.score()).isEqualTo(0.5);
            assertThat(match.features()).as("observed no is not a shared feature").isEmpty();
            assertThat(match.contactInstitution()).isNull();
        });
    }

    @Test
    void httpsWorksWithTheTrustStoreAndAnUntrustedCertificateIsPartnerDown(@TempDir Path folder) throws Exception {
        try (MatchmakerNode secure = MatchmakerNode.https(folder, TOKEN)) {
            secure.addPatient("P0001", List.of("HP:0001250"), List.of());
            MatchmakerClient trusting = new MatchmakerClient(CONNECT, READ, secure.trustingContext());

            assertThat(trusting.match(secure.matchUrl(), TOKEN, request).results()).hasSize(1);
            assertThat(trusting.heartbeat(secure.matchUrl())).isTrue();

            MatchmakerException e = catchThrowableOfType(
                    () -> client.match(secure.matchUrl(), TOKEN, request), MatchmakerException.class);
            assertThat(e.kind()).isEqualTo(Kind.PARTNER_DOWN);
            assertThat(e.getMessage()).contains("TLS", "certificate is not trusted");
            assertThat(secure.requests("/match")).as("nothing was sent over the untrusted connection").isEqualTo(1);
        }
    }

    @Test
    void theHeartbeatIsBesideTheMatchUrl() {
        assertThat(MatchmakerClient.heartbeatUrl(URI.create("https://exchange.irud.example/mme/match")))
                .isEqualTo(URI.create("https://exchange.irud.example/mme/heartbeat"));
        assertThat(MatchmakerClient.heartbeatUrl(URI.create("https://irud.example:8443/match/")))
                .isEqualTo(URI.create("https://irud.example:8443/heartbeat"));
        assertThat(MatchmakerClient.heartbeatUrl(URI.create("https://irud.example/api/v1/match?x=1")))
                .isEqualTo(URI.create("https://irud.example/api/v1/heartbeat"));
    }

    private MatchmakerException failure(MatchmakerClient withClient, String token) {
        MatchmakerException e = catchThrowableOfType(
                () -> withClient.match(node.matchUrl(), token, request), MatchmakerException.class);
        assertThat(e).as("the match must fail").isNotNull();
        return e;
    }
}
