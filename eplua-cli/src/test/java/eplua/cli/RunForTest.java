package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --run-for N}: N&gt;0 at most N s, N&lt;0 exactly |N| s. Times are taken from the script's first line. */
class RunForTest {
    @Test
    void positiveStopsAnEndlessIntervalAfterAboutNSeconds() {
        Child c = Child.eplua(null, "--run-for", "1", "-e",
                "print('start'); local n = 0; setInterval(function() n = n + 1; if n == 2 then print('ticking') end end, 50)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("start", "ticking"), c.lines());
        long ms = c.msFromLineToExit("start");
        // the 1 s counts from just before the script runs
        // idle at once, yet not ended early (that would be a few ms); the chunk's own start (compile, first task,
        // classes loading in a cold JVM) counts into the second, and takes a few hundred ms on a loaded machine
        assertTrue(ms > 300 && ms < 2500, "stopped " + ms + " ms after start");
    }

    @Test
    void positiveEndsEarlierWhenTheEngineIsIdle() {
        Child c = Child.eplua(null, "--run-for", "5", "-e", "setTimeout(function() print('done') end, 50)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("done"), c.lines());
        long ms = c.msFromLastLineToExit();
        assertTrue(ms < ScriptsRunThenExitTest.PROMPT_EXIT_MS, "exited " + ms + " ms after the work was done");
    }

    @Test
    void negativeRunsExactlyNSecondsEvenWhenIdle() {
        Child c = Child.eplua(null, "--run-for=-1", "-e", "print('start')");
        assertEquals(0, c.exit, c.toString());
        long sinceStart = TimeUnit.NANOSECONDS.toMillis(c.exited - c.started);
        long ms = c.msFromLineToExit("start");
        assertTrue(sinceStart >= 1000, "ran only " + sinceStart + " ms");
        // idle at once, yet not ended early (that would be a few ms); the chunk's own start (compile, first task,
        // classes loading in a cold JVM) counts into the second, and takes a few hundred ms on a loaded machine
        assertTrue(ms > 300 && ms < 2500, "stopped " + ms + " ms after start");
    }

    @Test
    void aMainChunkThatNeverEndsIsStoppedToo() {
        // at the deadline the shutdown gives the sleeping chunk its grace period, then cancels it
        Child c = Child.eplua(null, "--run-for", "1", "-e", "print('start'); sleep(1e9); print('never')");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("start"), c.lines());
        assertTrue(c.msFromLineToExit("start") < 2500 + SignalsAndRunForShutDownGracefully.GRACE_MS, c.toString());
    }

    @Test
    void aBadValueIsAUsageError() {
        Child c = Child.eplua(null, "--run-for", "soon", "-e", "print(1)");
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.contains("'--run-for' needs a number of seconds"), c.err);
    }
}
