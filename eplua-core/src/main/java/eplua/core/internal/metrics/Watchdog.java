package eplua.core.internal.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for all engines: every {@value #TICK_MS} ms it asks each watched engine's meter whether its
 * running turn has held the loop longer than the engine's threshold (default {@code -Deplua.blockedLoopMillis}, else
 * 2000; 0 turns it off). It starts with the first engine and sleeps in between; it never keeps the JVM alive.
 */
final class Watchdog {
    static final long TICK_MS = 200;
    private static final Set<Meter> WATCHED = ConcurrentHashMap.newKeySet();
    private static Thread thread; // guarded by Watchdog.class

    private Watchdog() {}

    static long defaultThresholdNanos() {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong("eplua.blockedLoopMillis", 2000));
    }

    static void watch(Meter m) {
        WATCHED.add(m);
        synchronized (Watchdog.class) {
            if (thread == null) {
                thread = new Thread(Watchdog::run, "eplua-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    static void unwatch(Meter m) {
        WATCHED.remove(m);
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                long now = System.nanoTime();
                for (Meter m : WATCHED) {
                    try {
                        m.check(now);
                    } catch (RuntimeException e) {
                        Logs.METRICS.log(System.Logger.Level.WARNING, "eplua: blocked-loop check failed for engine "
                                + m.engine(), e);
                    }
                }
            } catch (VirtualMachineError e) {
                // out of memory (a script filling the heap): skip this tick; the engine that failed handles it
            }
        }
    }
}
