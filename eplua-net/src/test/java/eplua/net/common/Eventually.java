package eplua.net.common;

import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Waiting for a count a test cannot await (no event tells it, e.g. a server's open connections): polled, bounded. */
public final class Eventually {
    private Eventually() {}

    /** Waits until {@code count} is {@code want} (10 s at most), else fails saying {@code what}. */
    public static void equals(int want, IntSupplier count, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        int n;
        while ((n = count.getAsInt()) != want && System.nanoTime() < end) Thread.sleep(20);
        assertEquals(want, n, what);
    }
}
