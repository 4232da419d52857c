package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A partner on loopback (the JDK's HTTP server) whose answer does not end: it is cut off, and sorted by its status. */
class FhirPartnerClientTest {

    final AtomicInteger status = new AtomicInteger(200);
    final AtomicLong bytesSent = new AtomicLong();
    HttpServer partner;
    FhirPartnerClient client;
    String base;

    @BeforeEach
    void startPartner() throws IOException {
        partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        partner.createContext("/fhir", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(status.get(), 0); // chunked, no end announced
                byte[] megabyte = " ".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
                OutputStream out = exchange.getResponseBody();
                out.write("{\"resourceType\":\"Bundle\",".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 1024; i++) {
                    out.write(megabyte);
                    bytesSent.addAndGet(megabyte.length);
                }
            } catch (IOException clientGone) {
                // we stopped reading and closed the connection
            }
        });
        partner.start();
        base = "http://127.0.0.1:" + partner.getAddress().getPort() + "/fhir";
        client = new FhirPartnerClient(HttpClient.newHttpClient(), Duration.ofSeconds(2), Duration.ofSeconds(30),
                FhirContext.forR4Cached());
    }

    @AfterEach
    void stopPartner() {
        partner.stop(0);
    }

    @Test
    void aTransactionAnswered2xxIsDeliveredHoweverLongTheAnswer() throws Exception {
        Bundle answer = client.send(base, new Bundle().setType(Bundle.BundleType.TRANSACTION), Optional.empty());

        assertThat(answer.getEntry()).isEmpty();
        assertThat(bytesSent.get()).as("what the partner got out before we stopped reading").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aSearchWhoseAnswerDoesNotEndIsRefused() {
        assertThatThrownBy(() -> client.search(base, "Task?identifier=x", Optional.empty()))
                .isInstanceOfSatisfying(DeliveryFailure.class, failure -> {
                    assertThat(failure.permanent()).isTrue();
                    assertThat(failure.status()).isEqualTo(200);
                    assertThat(failure.getMessage()).contains("HTTP 200", "larger than 16 MB");
                });
    }

    @Test
    void a503WhoseAnswerDoesNotEndIsStillWorthRetrying() {
        status.set(503);

        assertThatThrownBy(() -> client.send(base, new Bundle().setType(Bundle.BundleType.TRANSACTION), Optional.empty()))
                .isInstanceOfSatisfying(DeliveryFailure.class, failure -> {
                    assertThat(failure.permanent()).isFalse();
                    assertThat(failure.getMessage()).contains("HTTP 503", "larger than 16 MB");
                });
    }
}
