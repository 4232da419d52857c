package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A share of the heap that requests being processed at once take turns at, counted in some unit of what costs memory
 * (Bundle entries, kilobytes of body): room for two requests at the limit. A request waits until its units are free,
 * at most {@code longestWait}, then is refused with 503 and Retry-After, nothing processed. Whoever takes units gives
 * them back once HAPI has answered.
 */
public final class HeapTurns {

    /** Longer than a transaction at the entry limit takes on two busy cores (about a minute). */
    public static final Duration LONGEST_WAIT = Duration.ofSeconds(90);

    private final Semaphore units;
    private final int total;
    private final Duration longestWait;
    private final String busyJa;
    private final String busyEn;

    /**
     * @param limit the most units one request may take (larger ones are refused before they ask for a turn)
     * @param busyJa why a request is refused, for its answer (「他の大きな Bundle を処理中」)
     * @param busyEn the same in English ("other large Bundles are being processed")
     */
    public HeapTurns(int limit, Duration longestWait, String busyJa, String busyEn) {
        this.total = Math.multiplyExact(2, limit);
        this.units = new Semaphore(total);
        this.longestWait = longestWait;
        this.busyJa = busyJa;
        this.busyEn = busyEn;
    }

    /** Waits for {@code count} units (at most the limit); refuses the request when they are not free in time. */
    public void take(int count) {
        try {
            if (units.tryAcquire(count, longestWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        BaseServerResponseException busy = new UnclassifiedServerFailureException(503, String.format(Locale.ROOT,
                "%sのため受け付けられませんでした（%d 秒待ちました）。何も処理していません。しばらくして送り直してください"
                        + " (%s; waited %d s, nothing was processed: send it again later).",
                busyJa, longestWait.toSeconds(), busyEn, longestWait.toSeconds()));
        busy.addResponseHeader("Retry-After", String.valueOf(Math.max(1, longestWait.toSeconds())));
        throw busy;
    }

    /** @param count what {@link #take} was given */
    public void giveBack(int count) {
        units.release(count);
    }

    /** Units taken now. */
    public int inUse() {
        return total - units.availablePermits();
    }
}
