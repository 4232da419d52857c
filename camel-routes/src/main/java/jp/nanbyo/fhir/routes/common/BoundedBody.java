package jp.nanbyo.fhir.routes.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A partner's answer collected whole, as the JDK's {@code BodyHandlers.ofByteArray()} does, but only up to a limit: a
 * partner that answers without end fails the exchange with {@link TooLargeException} instead of filling our heap.
 * The exchange still completes only once the whole answer is in, so a request's time-out covers the body too.
 */
public final class BoundedBody {

    /** Far more than any answer we read (a transaction-response, a search, Matchmaker results), far less than the heap. */
    public static final long PARTNER_ANSWER_LIMIT = 16L * 1024 * 1024;

    private BoundedBody() {
    }

    /** The answer's bytes, failing once more than {@code maximumBytes} have arrived. */
    public static HttpResponse.BodyHandler<byte[]> ofAtMost(long maximumBytes) {
        return info -> new Collector(maximumBytes, info.statusCode());
    }

    /** An answer longer than the limit: the partner's fault, not a network's. */
    public static final class TooLargeException extends IOException {

        private final int status;

        TooLargeException(long maximumBytes, int status) {
            super("the answer (HTTP " + status + ") is larger than " + maximumBytes / (1024 * 1024) + " MB; it was cut off");
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {

        private final long maximumBytes;
        private final int status;
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Collector(long maximumBytes, int status) {
            this.maximumBytes = maximumBytes;
            this.status = status;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (collected.size() + (long) buffer.remaining() > maximumBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLargeException(maximumBytes, status));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                collected.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(collected.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }
}
