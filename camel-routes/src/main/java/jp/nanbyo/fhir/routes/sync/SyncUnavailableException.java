package jp.nanbyo.fhir.routes.sync;

import java.io.IOException;

/**
 * The source or our FHIR server could not be reached, timed out, or answered 5xx, 408 or 429: a
 * transient fault, retried with back-off by the shared error handling (it is an {@link IOException}).
 */
public class SyncUnavailableException extends IOException {

    public SyncUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
