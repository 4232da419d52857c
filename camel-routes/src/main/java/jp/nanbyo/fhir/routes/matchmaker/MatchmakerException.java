package jp.nanbyo.fhir.routes.matchmaker;

/**
 * A {@code /match} that gave no usable answer, classified so that the delivery route can decide between retrying
 * and giving up without knowing HTTP: {@link Kind#PARTNER_DOWN} and {@link Kind#TRANSIENT} are worth another try
 * later, {@link Kind#REJECTED} is not (the same request would be refused again). The message names the partner's
 * URL, the HTTP status and the partner's short error message; it never contains the request body, which carries
 * a patient's phenotype.
 */
public final class MatchmakerException extends Exception {

    /** How a failure is to be handled; see {@link MatchmakerClient} for when each one happens. */
    public enum Kind {
        /** The node cannot be reached or gives no complete answer, and its heartbeat (if asked) fails too. */
        PARTNER_DOWN,
        /** The node is up (its heartbeat answers) but overloaded or in maintenance: 502, 503, 504, 408, 429. */
        TRANSIENT,
        /** The node is up and refuses this request (4xx, or a 500 while its heartbeat answers), or answers non-MME. */
        REJECTED
    }

    /** For {@link #httpStatus()} when the node answered no HTTP status at all. */
    public static final int NO_STATUS = 0;

    private final Kind kind;
    private final int httpStatus;

    MatchmakerException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The status the node answered to {@code /match}, or {@link #NO_STATUS} (refused, reset, timed out, TLS). */
    public int httpStatus() {
        return httpStatus;
    }

    /** False for {@link Kind#REJECTED}: the request would fail the same way again. */
    public boolean retryable() {
        return kind != Kind.REJECTED;
    }
}
