package jp.nanbyo.fhir.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestSizeLimitTest {

    private static final int MEGABYTE = 1024 * 1024;
    private static final FilterChain READ_ALL = (request, response) -> request.getInputStream().readAllBytes();

    private final RequestSizeLimit limit = new RequestSizeLimit(MEGABYTE, 100_000, Duration.ofMillis(300));
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final CountDownLatch finish = new CountDownLatch(1);

    @AfterEach
    void stopClients() {
        finish.countDown();
        clients.shutdownNow();
    }

    private static MockHttpServletRequest post(int bytes) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/Binary");
        request.setContentType("application/octet-stream");
        request.setContent(new byte[bytes]);
        return request;
    }

    /** Sent in chunks: the length is not known before the end. */
    private static MockHttpServletRequest postInChunks(int bytes) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/Binary") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContentType("application/octet-stream");
        request.setContent(new byte[bytes]);
        return request;
    }

    /** Reads the body, then holds its turn until the test lets it finish. */
    private Future<?> processing(MockHttpServletRequest request, CountDownLatch read) {
        return clients.submit(() -> {
            limit.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                req.getInputStream().readAllBytes();
                read.countDown();
                try {
                    finish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return null;
        });
    }

    @Test
    void largeBodiesOfUpToTwiceTheLimitAreProcessedAtOnceAnotherWaitsThenIsRefused() throws Exception {
        CountDownLatch read = new CountDownLatch(2);
        Future<?> first = processing(post(MEGABYTE), read);
        Future<?> second = processing(post(MEGABYTE / 2), read);
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(limit.kilobytesInProgress()).isEqualTo(1024 + 512);

        assertThatThrownBy(() -> limit.doFilter(post(600 * 1024), new MockHttpServletResponse(), READ_ALL))
                .isInstanceOfSatisfying(BaseServerResponseException.class, busy -> {
                    assertThat(busy.getStatusCode()).isEqualTo(503);
                    assertThat(busy.getResponseHeaders()).containsKey("Retry-After");
                    assertThat(busy.getMessage()).contains("他の大きなリクエストを処理中", "other large requests are being processed");
                });
        // A small body never waits; one that fits in what is left goes ahead.
        limit.doFilter(post(RequestSizeLimit.SMALL_BODY), new MockHttpServletResponse(), READ_ALL);
        limit.doFilter(post(500 * 1024), new MockHttpServletResponse(), READ_ALL);

        finish.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(limit.kilobytesInProgress()).isZero();
    }

    @Test
    void aBodyOfUnknownLengthCountsAtTheLimitOncePastSixtyFourKilobytes() throws Exception {
        AtomicLong duringSmall = new AtomicLong(-1);
        limit.doFilter(postInChunks(RequestSizeLimit.SMALL_BODY), new MockHttpServletResponse(), (request, response) -> {
            request.getInputStream().readAllBytes();
            duringSmall.set(limit.kilobytesInProgress());
        });
        assertThat(duringSmall).hasValue(0);

        CountDownLatch read = new CountDownLatch(1);
        Future<?> chunked = processing(postInChunks(100 * 1024), read);
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(limit.kilobytesInProgress()).isEqualTo(1024);

        finish.countDown();
        chunked.get(10, TimeUnit.SECONDS);
        assertThat(limit.kilobytesInProgress()).isZero();
    }

    @Test
    void aRefusedBodyGivesBackItsTurn() {
        assertThatThrownBy(() -> limit.doFilter(postInChunks(MEGABYTE + 1), new MockHttpServletResponse(), READ_ALL))
                .isInstanceOfSatisfying(BaseServerResponseException.class, tooLarge -> assertThat(tooLarge.getStatusCode()).isEqualTo(413));
        assertThat(limit.kilobytesInProgress()).isZero();
    }
}
