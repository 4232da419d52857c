package jp.nanbyo.fhir.routes.common;

/** What the routes make of a partner's or server's HTTP status. */
public final class HttpStatuses {

    private HttpStatuses() {
    }

    /**
     * 408, 409, 429 and 5xx: the same request may succeed later, so it is retried; any other failure is a refusal. A
     * FHIR server answers 409 when a concurrent write got there first: two referrals of one patient delivered at once
     * both create the patient's pseudonym conditionally, and the partner refuses the later transaction; sent again,
     * its conditional creates find what the first one stored.
     */
    public static boolean mayPass(int status) {
        return status >= 500 || status == 408 || status == 409 || status == 429;
    }
}
