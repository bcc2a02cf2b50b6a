package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coroutines and tasks left suspended forever must not keep the JVM running. */
class AbandonedWorkTest {
    static final long WITHIN_MS = 2000;

    @Test
    void anAbandonedCoroutineDoesNotKeepTheJvmAlive() {
        Child c = Child.eplua(null, "-e", String.join("\n",
                "local co = coroutine.create(function() coroutine.yield() end)",
                "coroutine.resume(co)",
                "local co2 = coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end)",
                "co2(); co2()",
                "print('done', coroutine.status(co))"));
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("done\tsuspended"), c.lines());
        assertTrue(c.msFromLastLineToExit() < WITHIN_MS, c.msFromLastLineToExit() + " ms");
    }

    @Test
    void aTaskSuspendedForeverEndsWithRunFor() {
        Child c = Child.eplua(null, "--run-for", "1", "-e", String.join("\n",
                "spawn(function() sleep(1e9) end)",
                "local never = spawn(function() sleep(1e9) end)",
                "spawn(function() never:await() end)",
                "local co = coroutine.create(function() coroutine.yield() end)",
                "coroutine.resume(co)",
                "print('work done')"));
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("work done"), c.lines());
        // the work is done at 'work done'; --run-for ends the rest 1 s after start, then the grace period at the latest
        long ms = c.msFromLineToExit("work done");
        assertTrue(ms < 1000 + SignalsAndRunForShutDownGracefully.GRACE_MS + WITHIN_MS, ms + " ms");
    }
}
