package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.nanbyo.fhir.routes.common.BoundedBody;
import jp.nanbyo.fhir.routes.common.HttpStatuses;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Sends a transaction to a partner's FHIR server ({@code POST [base]}), or searches it, and sorts its answer: 2xx is delivered (a
 * FHIR transaction is all or nothing, so the partner has it all); 408, 429, 5xx, a time-out or a broken connection
 * may pass ({@link DeliveryFailure#temporary}); any other answer is the partner refusing the referral
 * ({@link DeliveryFailure#permanent}, with its OperationOutcome's diagnostics).
 */
final class FhirPartnerClient {

    private static final String FHIR_JSON = "application/fhir+json";

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final FhirContext fhir;

    FhirPartnerClient(HttpClient http, Duration connectTimeout, Duration readTimeout, FhirContext fhir) {
        this.http = http;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.fhir = fhir;
    }

    /** Posts the transaction; answers the partner's transaction-response. */
    Bundle send(String base, Bundle transaction, Optional<String> authToken) throws DeliveryFailure, InterruptedException {
        String body = fhir.newJsonParser().encodeResourceToString(transaction);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(withoutSlash(base)))
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return exchange(request, authToken, false);
    }

    /** Searches the partner: {@code GET [base]/[query]}, e.g. {@code Task?identifier=…}; answers the searchset. */
    Bundle search(String base, String query, Optional<String> authToken) throws DeliveryFailure, InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(withoutSlash(base) + "/" + query)).GET(), authToken, true);
    }

    /**
     * @param answerNeeded whether a 2xx answer's body matters (a search's does; a transaction's 2xx alone says the
     *     partner has it all)
     */
    private Bundle exchange(HttpRequest.Builder request, Optional<String> authToken, boolean answerNeeded)
            throws DeliveryFailure, InterruptedException {
        request.timeout(readTimeout).header("Accept", FHIR_JSON);
        authToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<byte[]> response;
        // The request's own time-out ends when the headers arrive: a partner stalling mid-body is cut off here.
        CompletableFuture<HttpResponse<byte[]>> sending =
                http.sendAsync(request.build(), BoundedBody.ofAtMost(BoundedBody.PARTNER_ANSWER_LIMIT));
        try {
            response = sending.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sending.cancel(true);
            throw DeliveryFailure.temporary("partner timed out (no whole answer within " + connectTimeout.plus(readTimeout).toSeconds()
                    + " s)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BoundedBody.TooLargeException tooLarge) {
                return tooLarge(tooLarge, answerNeeded);
            }
            throw DeliveryFailure.temporary("partner unreachable, timed out or its answer cut off (" + cause.getClass().getSimpleName()
                    + ": " + cause.getMessage() + ")", cause);
        }
        int status = response.statusCode();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (status / 100 == 2) {
            return parse(body).filter(Bundle.class::isInstance).map(Bundle.class::cast).orElseGet(Bundle::new);
        }
        String why = "partner answered HTTP " + status + diagnostics(body);
        if (HttpStatuses.mayPass(status)) {
            throw DeliveryFailure.temporary(why, null);
        }
        throw DeliveryFailure.permanent(why, status);
    }

    /** An answer cut off at the limit: sorted by its status, as any answer whose body cannot be read. */
    private static Bundle tooLarge(BoundedBody.TooLargeException tooLarge, boolean answerNeeded) throws DeliveryFailure {
        int status = tooLarge.status();
        String why = "partner answered " + tooLarge.getMessage();
        if (status / 100 == 2 && !answerNeeded) {
            return new Bundle();
        }
        if (HttpStatuses.mayPass(status)) {
            throw DeliveryFailure.temporary(why, tooLarge);
        }
        throw DeliveryFailure.permanent(why, status);
    }

    /** A partner's base as configured, with or without a trailing slash, without it. */
    static String withoutSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String diagnostics(String body) {
        return parse(body).filter(OperationOutcome.class::isInstance).map(OperationOutcome.class::cast)
                .map(outcome -> outcome.getIssue().stream()
                        .map(issue -> issue.getDiagnostics() == null ? issue.getCode().toCode() : issue.getDiagnostics())
                        .reduce((a, b) -> a + "; " + b).map(text -> ": " + text).orElse(""))
                .orElse("");
    }

    private Optional<IBaseResource> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fhir.newJsonParser().parseResource(body));
        } catch (DataFormatException notFhirJson) {
            return Optional.empty();
        }
    }
}
