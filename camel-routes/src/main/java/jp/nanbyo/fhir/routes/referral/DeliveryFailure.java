package jp.nanbyo.fhir.routes.referral;

/**
 * A delivery that did not happen, and whether trying again can help: {@code permanent} for a partner's refusal (a 4xx
 * other than 408 and 429, an answer that is not what the protocol promises), not for a partner down, slow or failing
 * (connection refused or reset, time-out, 5xx). The message names the partner's answer, never the referral's content.
 */
final class DeliveryFailure extends Exception {

    private final boolean permanent;

    DeliveryFailure(boolean permanent, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    static DeliveryFailure temporary(String message, Throwable cause) {
        return new DeliveryFailure(false, message, cause);
    }

    static DeliveryFailure permanent(String message) {
        return new DeliveryFailure(true, message, null);
    }

    boolean permanent() {
        return permanent;
    }
}
