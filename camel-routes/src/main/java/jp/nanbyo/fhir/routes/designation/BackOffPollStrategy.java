package jp.nanbyo.fhir.routes.designation;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll that failed before any file was taken (the SFTP server down or refusing the login, a
 * time-out while listing) is tried again after 1, 2, 4, … seconds; when the retries are used up, the
 * next scheduled poll tries again. Camel's own reconnect waits a fixed time instead.
 */
final class BackOffPollStrategy implements PollingConsumerPollStrategy {

    private static final Logger log = LoggerFactory.getLogger(BackOffPollStrategy.class);

    private final String source;
    private final DesignationRemoteSourceRoutes.Retries retries;

    BackOffPollStrategy(String source, DesignationRemoteSourceRoutes.Retries retries) {
        this.source = source;
        this.retries = retries;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to do: each file's exchange files it
    }

    /** @return whether to poll again now (after sleeping the back-off) */
    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause)
            throws InterruptedException {
        if (retryCounter >= retries.maximum()) {
            log.warn("Polling {} failed {} times; trying again at the next poll: {}", source, retryCounter + 1, describe(cause));
            return false;
        }
        long delay = retries.delayBefore(retryCounter + 1).toMillis();
        log.warn("Polling {} failed; retry {} of {} in {} ms: {}", source, retryCounter + 1, retries.maximum(), delay,
                describe(cause));
        Thread.sleep(delay);
        return true;
    }

    /** Camel's "Cannot connect to …" and its causes, e.g. JSch's "HostKey has been changed" or "Auth fail". */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }
}
