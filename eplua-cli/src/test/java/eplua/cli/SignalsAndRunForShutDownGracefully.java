package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The program ends by the shutdown protocol at the {@code --run-for} deadline and on SIGINT/SIGTERM:
 * {@code is_app_running()} turns false, {@code on_cleanup} handlers run, tasks get their grace period (2 s by
 * default) to finish, then the rest is cancelled with its clean-up. A signal sets the exit status to 128 + its number.
 */
class SignalsAndRunForShutDownGracefully {
    static final long GRACE_MS = 2000;

    /** A SignaKit-style main loop, a clean-up handler and a task's deferred clean-up. */
    static final String SERVICE = String.join("\n",
            "on_cleanup(function() print('cleanup') end)",
            "spawn(function() defer(function() print('deferred') end) while is_app_running() do sleep(0.05) end end)",
            "print('ready')",
            "while is_app_running() do sleep(0.1) end",
            "print('bye')");

    @Test
    void runForLetsAnIsAppRunningLoopFinish() {
        Child c = Child.eplua(null, "--run-for", "1", "-e",
                "print('start') while is_app_running() do sleep(0.1) end print('bye')");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("start", "bye"), c.lines());
        long ms = c.msFromLineToExit("start");
        assertTrue(ms > 300 && ms < 2500, "ended " + ms + " ms after start: the loop ends within a turn of the deadline");
    }

    @Test
    void sigintRunsTheCleanUpAndExitsWith130() {
        Child c = Child.epluaSignalled(Map.of("ready", "INT"), "-e", SERVICE);
        assertEquals(130, c.exit, c.toString());
        assertEquals(List.of("ready", "cleanup", "deferred", "bye"), sortedAfterReady(c.lines()), c.toString());
        assertTrue(c.msFromLineToExit("ready") < GRACE_MS, "every task ended well within the grace period: " + c);
    }

    @Test
    void sigtermDoesTheSameAndExitsWith143() {
        Child c = Child.epluaSignalled(Map.of("ready", "TERM"), "-e", SERVICE);
        assertEquals(143, c.exit, c.toString());
        assertEquals(List.of("ready", "cleanup", "deferred", "bye"), sortedAfterReady(c.lines()), c.toString());
    }

    @Test
    void aTaskThatIgnoresTheShutdownIsCancelledAfterTheGracePeriod() {
        Child c = Child.epluaSignalled(Map.of("ready", "TERM"), "-e", String.join("\n",
                "spawn(function() defer(function() print('cancelled, cleaned up') end) sleep(1e9) end)",
                "print('ready')"));
        assertEquals(143, c.exit, c.toString());
        assertEquals(List.of("ready", "cancelled, cleaned up"), c.lines());
        long ms = c.msFromLineToExit("ready");
        assertTrue(ms >= GRACE_MS - 100 && ms < GRACE_MS + 2500, "exited " + ms + " ms after the signal");
    }

    @Test
    void aSecondSignalEndsTheGracePeriodAtOnce() {
        Child c = Child.epluaSignalled(Map.of("ready", "INT", "cleanup", "INT"), "-e", String.join("\n",
                "on_cleanup(function() print('cleanup') end)",
                "spawn(function() sleep(1e9) end)",
                "print('ready')"));
        assertEquals(130, c.exit, c.toString());
        long ms = TimeUnit.NANOSECONDS.toMillis(c.exited - c.out.get(0).at);
        assertTrue(ms < GRACE_MS - 500, "the second Ctrl-C does not wait for the grace period: " + ms + " ms");
    }

    /** "ready" first, then what the shutdown printed (the clean-up handler and the task run side by side). */
    private static List<String> sortedAfterReady(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals("ready")) return lines;
        List<String> rest = new java.util.ArrayList<>(lines.subList(1, lines.size()));
        // 'bye' is printed by the main chunk after its loop: last of the three is not guaranteed either
        List<String> order = List.of("cleanup", "deferred", "bye");
        rest.sort(java.util.Comparator.comparingInt(order::indexOf));
        List<String> out = new java.util.ArrayList<>(List.of("ready"));
        out.addAll(rest);
        return out;
    }
}
