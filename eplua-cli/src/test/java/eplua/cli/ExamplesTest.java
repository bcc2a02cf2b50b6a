package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripts in dev/examples print what they promise and exit by themselves. */
class ExamplesTest {
    private static Child example(String name) {
        return Child.eplua(null, "dev/examples/" + name);
    }

    @Test
    void demo() {
        Child c = example("demo.lua");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of(
                "== eplua demo ==",
                "json.encode -> [\"lua\",5.2,true]",
                "json.decode -> name=eplua, tags=loop,tasks",
                "task: the waiter got 42 from the worker",
                "task: worker done, waiter done",
                "http: 200 hello from eplua (GET /hello)",
                "http: server stopped",
                "main chunk done; the loop runs until the timers are done",
                "timer: tick 1",
                "timer: tick 2",
                "timer: tick 3",
                "timer: interval cleared",
                "timer: timeout after 450 ms, nothing left: bye"), c.lines(), c.toString());
        // nothing on stderr but, in a JVM without the fast fiber mode (Java 17, no --add-opens), why, once
        assertTrue(c.err.lines().allMatch(l -> l.contains("eplua.core.internal.task.Fibers")
                || l.contains("eplua: fiber mode")), c.err);
        assertTrue(c.msFromLastLineToExit() < ScriptsRunThenExitTest.PROMPT_EXIT_MS, c.toString());
    }

    @Test
    void timers() {
        Child c = example("timers.lua");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of(
                "1: main chunk",
                "2: main chunk ends; timers pending",
                "3: 0 ms timeout (after the main chunk)",
                "4: 50 ms, created first",
                "5: 50 ms, created second",
                "6: 200 ms",
                "7: interval tick 1",
                "7: interval tick 2",
                "7: interval tick 3"), c.lines(), c.toString());
    }

    @Test
    void tasks() {
        Child c = example("tasks.lua");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of(
                "spawned: a is suspended, b is suspended",
                "a done after 0.2 s; b done",
                "await of a failing task: ok=false, err=bad luck, status=failed",
                "cancelled: cancelled",
                "await(50 ms) -> nil, timeout",
                "late finally: late"), c.lines(), c.toString());
    }
}
