package jp.nanbyo.fhir.routes.matchmaker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import jp.nanbyo.fhir.routes.common.BoundedBody;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerException.Kind;

/**
 * Calls one GA4GH Matchmaker Exchange node: {@code POST <base>/match} (API v1.0, {@code ga4gh/mme-apis}
 * search-api.md) with the {@code X-Auth-Token} the node issued to us, and {@code GET <base>/heartbeat}.
 *
 * <p><b>Heartbeat URL rule.</b> {@code <base>} is the configured match URL without its last {@code /match}
 * segment: {@code https://exchange.irud.example/mme/match} → {@code https://exchange.irud.example/mme/heartbeat}.
 * The heartbeat follows mme-apis heartbeat-api.md (a 200 with {@code {"heartbeat": {...}}}); we only take a 200 as
 * "up". It is asked without the token.
 *
 * <p><b>Telling a down partner from a bad request.</b> A 5xx alone does not say whose fault it is. So on a
 * {@code /match} failure that is not a 4xx, the client asks {@code /heartbeat}: if the node answers, it is up and
 * the failure belongs to this request (500) or to a passing overload (502, 503, 504); if not, the node is down.
 * <ul>
 * <li>{@link Kind#PARTNER_DOWN}: connection refused or reset, no connection within the connect timeout, no
 *     complete answer within the read timeout, a TLS failure, or a 5xx while the heartbeat fails too. Connection
 *     failures are not checked with a heartbeat: the node gave no answer, which is what "down" means to us.
 *     The read timeout bounds the whole answer, body included (a node that stalls mid-body is down too).
 *     An untrusted certificate is PARTNER_DOWN too (its message says "TLS", to check our trust store or their
 *     certificate): the referral is not at fault and must go once the configuration is mended.
 * <li>{@link Kind#TRANSIENT}: 502, 503 or 504 while the heartbeat answers; 408 and 429 (the node asks us to come
 *     back later).
 * <li>{@link Kind#REJECTED}: any other 4xx (400 bad request, 401 bad token, 406 unsupported API version, 415,
 *     422), any other 5xx (500) while the heartbeat answers, an unexpected status (3xx), and a 200 whose body is
 *     not MME JSON or whose Content-Type is not the MME media type of our major version. Never retried.
 * </ul>
 */
public final class MatchmakerClient {

    /** The version we speak, sent as Content-Type and Accept. */
    public static final String MEDIA_TYPE = mediaType("v1.0");

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String mediaType;
    private final MatchResponseReader reader;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param readTimeout how long an answer may take once connected, headers and body (per request)
     * @param sslContext whom to trust for https; null: the JVM's default trust store
     */
    public MatchmakerClient(Duration connectTimeout, Duration readTimeout, SSLContext sslContext) {
        this(connectTimeout, readTimeout, sslContext, "v1.0");
    }

    /** With another API version ({@code v0.9}): what a node answers to a client it does not speak with. */
    MatchmakerClient(Duration connectTimeout, Duration readTimeout, SSLContext sslContext,
            String apiVersion) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER); // a redirected POST would lose its body
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.mediaType = mediaType(apiVersion);
        this.reader = new MatchResponseReader(mediaType);
    }

    /**
     * Sends the request and returns the node's matches (possibly none).
     *
     * @param request as built by {@link MatchRequestMapper}
     * @throws MatchmakerException classified as described on the class
     */
    public MatchResponse match(URI matchUrl, String authToken, ObjectNode request) throws MatchmakerException {
        HttpRequest http;
        try {
            http = HttpRequest.newBuilder(matchUrl)
                    .timeout(readTimeout)
                    .header("Content-Type", mediaType)
                    .header("Accept", mediaType)
                    .header("X-Auth-Token", authToken)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(request)))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("The MME request cannot be written as JSON", e);
        }
        HttpResponse<byte[]> response = send(matchUrl, http, BoundedBody.ofAtMost(BoundedBody.PARTNER_ANSWER_LIMIT));
        int status = response.statusCode();
        if (status == 200) {
            return reader.read(matchUrl, response);
        }
        String what = matchUrl + " answered HTTP " + status + reader.partnerMessage(response.body());
        if (status == 408 || status == 429) {
            throw new MatchmakerException(Kind.TRANSIENT, status, what, null);
        }
        if (status >= 500 && status <= 599) {
            if (!heartbeat(matchUrl)) {
                throw new MatchmakerException(Kind.PARTNER_DOWN, status, what + "; its heartbeat fails too", null);
            }
            Kind kind = status == 502 || status == 503 || status == 504 ? Kind.TRANSIENT : Kind.REJECTED;
            throw new MatchmakerException(kind, status, what + "; its heartbeat answers, so the node is up", null);
        }
        throw new MatchmakerException(Kind.REJECTED, status, what, null);
    }

    /** True when {@code GET <base>/heartbeat} answers 200 within the timeouts. */
    public boolean heartbeat(URI matchUrl) {
        HttpRequest http = HttpRequest.newBuilder(heartbeatUrl(matchUrl)).timeout(readTimeout)
                .header("Accept", "application/json").GET().build();
        try {
            return send(matchUrl, http, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (MatchmakerException e) {
            return false;
        }
    }

    /** {@code <base>/heartbeat}, where {@code <base>} is the match URL without its last {@code /match} segment. */
    static URI heartbeatUrl(URI matchUrl) {
        String path = matchUrl.getRawPath() == null ? "" : matchUrl.getRawPath();
        String base = path.replaceFirst("/match/?$", "").replaceFirst("/$", "");
        return URI.create(matchUrl.getScheme() + "://" + matchUrl.getRawAuthority() + base + "/heartbeat");
    }

    /**
     * Sends and waits at most connect timeout + read timeout for the whole answer. The JDK's request timeout alone
     * stops at the response headers: a node that sends its headers and then stalls would hold the caller forever.
     */
    private <T> HttpResponse<T> send(URI url, HttpRequest http, HttpResponse.BodyHandler<T> body)
            throws MatchmakerException {
        CompletableFuture<HttpResponse<T>> answer = client.sendAsync(http, body);
        try {
            return answer.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw down(url, "no complete answer within the read timeout of " + readTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw down(url, "interrupted while waiting for the answer", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BoundedBody.TooLargeException tooLarge) {
                // The node is up and answering, wrongly: asking again would get the same.
                throw new MatchmakerException(Kind.REJECTED, tooLarge.status(), url + ": " + tooLarge.getMessage(), tooLarge);
            }
            throw down(url, e.getCause() == null ? e : e.getCause());
        }
    }

    private MatchmakerException down(URI url, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException) {
                return down(url, "no TLS connection: the node's certificate is not trusted by our trust store, or"
                        + " the handshake failed (a configuration problem, not the referral's)", failure);
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return down(url, "no connection within the connect timeout", failure);
            }
            if (cause instanceof HttpTimeoutException) {
                return down(url, "no complete answer within the read timeout of " + readTimeout.toMillis() + " ms",
                        failure);
            }
            if (cause instanceof ConnectException) {
                return down(url, "connection refused", failure);
            }
        }
        return down(url, "connection failed or was reset before a complete answer", failure);
    }

    private static MatchmakerException down(URI url, String what, Throwable cause) {
        return new MatchmakerException(Kind.PARTNER_DOWN, MatchmakerException.NO_STATUS,
                url + ": " + what + " (" + cause.getClass().getSimpleName() + ")", cause);
    }

    private static String mediaType(String apiVersion) {
        return "application/vnd.ga4gh.matchmaker." + apiVersion + "+json";
    }
}
