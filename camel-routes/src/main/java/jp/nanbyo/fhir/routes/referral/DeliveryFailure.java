package jp.nanbyo.fhir.routes.referral;

/**
 * A delivery that did not happen, and whether trying again can help: {@code permanent} for a partner's refusal (a 4xx
 * other than 408 and 429, an answer that is not what the protocol promises), not for a partner down, slow or failing
 * (connection refused or reset, time-out, 5xx). The message names the partner's answer, never the referral's content.
 */
final class DeliveryFailure extends Exception {

    private final boolean permanent;
    private final int status;

    DeliveryFailure(boolean permanent, String message, Throwable cause, int status) {
        super(message, cause);
        this.permanent = permanent;
        this.status = status;
    }

    static DeliveryFailure temporary(String message, Throwable cause) {
        return new DeliveryFailure(false, message, cause, 0);
    }

    static DeliveryFailure permanent(String message) {
        return new DeliveryFailure(true, message, null, 0);
    }

    /** A refusal answered with an HTTP status. */
    static DeliveryFailure permanent(String message, int status) {
        return new DeliveryFailure(true, message, null, status);
    }

    /** The partner's HTTP status, 0 when it did not answer one. */
    int status() {
        return status;
    }

    boolean permanent() {
        return permanent;
    }
}
