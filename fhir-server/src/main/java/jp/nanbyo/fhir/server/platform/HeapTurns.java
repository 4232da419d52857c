package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A share of the heap that requests being processed at once take turns at, counted in some unit of what costs memory
 * (Bundle entries, kilobytes of body). A request waits until its units are free, at most {@code longestWait}, then is
 * refused with 503 and Retry-After, nothing processed. Whoever takes units gives them back once HAPI has answered.
 */
public final class HeapTurns {

    private final Semaphore units;
    private final int total;
    private final Duration longestWait;
    private final String busyJa;
    private final String busyEn;

    /**
     * @param busyJa why a request is refused, for its answer (「他の大きな Bundle を処理中」)
     * @param busyEn the same in English ("other large Bundles are being processed")
     */
    public HeapTurns(int total, Duration longestWait, String busyJa, String busyEn) {
        this.units = new Semaphore(total);
        this.total = total;
        this.longestWait = longestWait;
        this.busyJa = busyJa;
        this.busyEn = busyEn;
    }

    /** Waits for {@code count} units (at most the total); refuses the request when they are not free in time. */
    public void take(int count) {
        try {
            if (units.tryAcquire(Math.min(count, total), longestWait.toMillis(), TimeUnit.MILLISECONDS)) {
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
        units.release(Math.min(count, total));
    }

    /** Units taken now. */
    public int inUse() {
        return total - units.availablePermits();
    }
}
