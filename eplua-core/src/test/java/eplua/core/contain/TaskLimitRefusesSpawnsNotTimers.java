package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import eplua.core.testing.SystemProperties;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Past the task budget, {@code spawn} raises once in its caller (a catchable "budget: tasks" error), timers are never
 * dropped (a callback that finds every fiber busy starts when one is free) and the engine goes idle when the rest is
 * done: on every fiber mode, Java 17's platform threads included.
 */
class TaskLimitRefusesSpawnsNotTimers {
    private static final String SCRIPT = "local fired = 0\n"
            + "for i = 1, 100 do setTimeout(function() fired = fired + 1 end, i % 10) end\n"
            + "local spawned, errors, message = 0, 0, nil\n"
            + "local ok, err = pcall(function()\n"
            + "  for i = 1, 10000 do spawn(function() sleep(0.5) end) spawned = spawned + 1 end\n"
            + "end)\n"
            + "if not ok then errors = errors + 1 message = err end\n"
            + "sleep(1.5)\n"
            + "return spawned, errors, message, fired";

    @Test
    void tenThousandSleepersAndAHundredTimersWithTheLimitAt8192() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        StringWriter err = new StringWriter();
        try (Engine e = Engine.builder().keepJvmAlive(false).maxTasks(8192).errorHandler(reports::add)
                .errorOutput(err).build()) {
            Varargs r = e.eval(SCRIPT, "limit.lua").get(120, TimeUnit.SECONDS);
            assertEquals(8192, r.arg(1).toint(), "spawned up to the limit");
            assertEquals(1, r.arg(2).toint(), "one error, in the spawning code");
            assertTrue(r.arg(3).tojstring().contains("budget: tasks (8192 "), r.arg(3).tojstring());
            assertEquals(100, r.arg(4).toint(), "every timer fired");
            assertTrue(e.awaitIdle(Duration.ofSeconds(60)), "idle when the sleepers are done");
            assertTrue(reports.isEmpty(), "nothing reported per spawn or timer: " + reports);
            assertEquals("", err.toString(), "nothing printed per spawn or timer");
        }
    }

    @Test
    void aTimerThatFindsEveryFiberBusyRunsWhenOneIsFree() throws Exception {
        Engine e = SystemProperties.with("eplua.maxFibers", "40", () -> Engine.builder().keepJvmAlive(false).build());
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        e.setErrorHandler(reports::add);
        try (e) {
            // coroutines suspended forever hold 39 fibers, the main chunk's task the last one
            Varargs r = e.eval("HELD = {}\n"
                    + "for i = 1, 39 do local co = coroutine.create(function() coroutine.yield() end)\n"
                    + "  coroutine.resume(co) HELD[i] = co end\n"
                    + "FIRED = 0\n"
                    + "for i = 1, 20 do setTimeout(function() FIRED = FIRED + 1 end, 1) end\n"
                    + "sleep(0.1)\n"
                    + "return FIRED", "busy.lua").get(30, TimeUnit.SECONDS);
            assertEquals(0, r.arg1().toint(), "no fiber was free while the chunk held the last one");
            assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(20, e.eval("return FIRED", "fired.lua").get(5, TimeUnit.SECONDS).toint(1),
                    "every timer ran once the chunk's fiber was free");
            assertTrue(reports.isEmpty(), reports.toString());
        }
    }
}
