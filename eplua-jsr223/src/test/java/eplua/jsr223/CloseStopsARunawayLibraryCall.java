package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * close() of a script engine whose eval is stuck in a runaway pattern (exponential backtracking inside one
 * string.find) returns within a second, the eval's caller is released, and no thread runs the match any more.
 */
class CloseStopsARunawayLibraryCall {
    /** A host object the script calls just before it starts the runaway match. */
    public static final class Probe {
        final CountDownLatch started = new CountDownLatch(1);

        public void started() {
            started.countDown();
        }
    }

    @Test
    void closeReturnsWithinASecondAndTheMatchEnds() throws Exception {
        EpluaScriptEngine e = Engines.create();
        Probe probe = new Probe();
        e.put("probe", probe);
        CompletableFuture<Object> eval = CompletableFuture.supplyAsync(() -> {
            try {
                return e.eval("probe:started() return string.find(string.rep('a', 40), string.rep('a*', 20) .. 'b')");
            } catch (Exception x) {
                return x;
            }
        });
        assertTrue(probe.started.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        e.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1000, "close() took " + ms + " ms");
        Object r = eval.get(2, TimeUnit.SECONDS);
        assertTrue(r instanceof Exception, "the eval ended with a failure: " + r);
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet())
            for (StackTraceElement f : t.getValue())
                assertFalse(f.getClassName().endsWith("PatternMatcher"), t.getKey().getName() + " still matches");
    }
}
