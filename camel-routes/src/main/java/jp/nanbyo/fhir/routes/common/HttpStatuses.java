package jp.nanbyo.fhir.routes.common;

/** What the routes make of a partner's or server's HTTP status. */
public final class HttpStatuses {

    private HttpStatuses() {
    }

    /** 408, 429 and 5xx: the same request may succeed later, so it is retried; any other failure is a refusal. */
    public static boolean mayPass(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
