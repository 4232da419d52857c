package jp.nanbyo.fhir.routes;

import java.time.Duration;

/** Waits in tests for something routes do in the background: a file filed, a request answered, a log line. */
public final class Eventually {

    /** A condition that may throw while it is not yet true. */
    public interface Check {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    /** Returns once {@code check} holds; fails the test if it does not within {@code timeout}. */
    public static void waitUntil(Duration timeout, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
