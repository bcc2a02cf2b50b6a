package eplua.core.metrics;

import eplua.core.Engine;
import eplua.core.EngineMetrics;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

class EngineMetricsTest {
    /** Metrics come from a periodic probe: wait (bounded) for a condition on them. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("never: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void metricsFollowTasksTimersAndResources() throws Exception {
        try (Engine e = Engine.builder().name("metrics-follow").modules(List.of(new Widgets())).build()) {
            EngineMetrics before = e.metrics();
            assertEquals("metrics-follow", before.engine());
            assertEquals(e.fiberMode(), before.fiberMode());
            assertEquals(0, before.tasksSuspended());
            e.eval("W = _eplua.widgets\n"
                    + "for i = 1, 3 do spawn(function() sleep(30) end) end\n"
                    + "T = setTimeout(function() end, 60000)\n"
                    + "A, B, C = W.open('widget'), W.open('widget'), W.open('gadget')\n", "open.lua").get();
            eventually(() -> e.metrics().tasksSuspended() == 3, "three tasks suspended");
            EngineMetrics m = e.metrics();
            assertEquals(3, m.tasksAlive());
            assertEquals(Map.of("widget", 2, "gadget", 1), m.resources());
            assertTrue(m.timersPending() >= 1, "timers " + m.timersPending());
            assertTrue(m.tasksStarted() >= 4, "the chunk and three tasks started: " + m.tasksStarted());
            long timers = m.timersPending();
            e.eval("clearTimeout(T) W.close(A) W.close(C)", "close.lua").get();
            m = e.metrics();
            assertEquals(timers - 1, m.timersPending());
            assertEquals(Map.of("widget", 1), m.resources());
            Varargs lua = e.eval("local m = eplua.metrics()\n"
                    + "return m.tasks_suspended, m.resources.widget, m.engine, m.fiber_mode, m.lag_ms.p99, "
                    + "m.callbacks_run", "lua.lua").get();
            assertEquals(3, lua.arg(1).toint());
            assertEquals(1, lua.arg(2).toint());
            assertEquals("metrics-follow", lua.arg(3).tojstring());
            assertEquals(e.fiberMode().name().toLowerCase(), lua.arg(4).tojstring());
            assertTrue(lua.arg(5).isnumber());
            assertTrue(lua.arg(6).tolong() >= 6, "turns " + lua.arg(6));
        }
    }

    @Test
    void aSlowCallbackShowsAsTheLongestWithItsLocationAndAsLoopLag() throws Exception {
        try (Engine e = Engine.builder().name("metrics-slow").build()) {
            e.eval("local function quick() end\n"
                    + "setTimeout(quick, 0)\n"
                    + "setTimeout(function()\n" // line 3
                    + "  local t = os.clock() while os.clock() - t < 0.3 do end\n"
                    + "end, 0)\n", "slow.lua").get();
            assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            EngineMetrics m = e.metrics();
            assertTrue(m.longestCallbackMillis() >= 290, "longest " + m.longestCallbackMillis());
            assertEquals("slow.lua:3", m.longestCallbackWhere());
            // the loop's probe ran late by about the time the callback held the loop
            eventually(() -> e.metrics().lagMaxMillis() >= 150, "loop lag seen: " + e.metrics());
            assertTrue(e.metrics().callbacksPerSecond() > 0);
        }
    }

    @Test
    void anIdleEngineHasNoLagAndNoCallbacks() throws Exception {
        try (Engine e = Engine.builder().name("metrics-idle").build()) {
            eventually(() -> e.metrics().windowSeconds() > 0.3, "a few probes");
            long turns = e.metrics().callbacksRun();
            eventually(() -> e.metrics().windowSeconds() > 0.6, "more probes");
            EngineMetrics m = e.metrics();
            assertEquals(turns, m.callbacksRun(), "the probe runs no Lua");
            assertTrue(m.lagP50Millis() < 250, "lag " + m.lagP50Millis()); // generous: a loaded machine
            assertFalse(e.isAlive(), "the probe does not keep the engine alive");
        }
    }

    @Test
    void eachEngineHasItsOwnMBeanUntilItCloses() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName first = new ObjectName("eplua:type=Engine,name=twin");
        ObjectName second = new ObjectName("eplua:type=Engine,name=twin,instance=2");
        try (Engine a = Engine.builder().name("twin").build(); Engine b = Engine.builder().name("twin").build()) {
            // registered a second after start (engines that live a moment never start the MBean server)
            eventually(() -> server.isRegistered(first) && server.isRegistered(second), "both registered");
            b.eval("spawn(function() sleep(30) end)", "b.lua").get();
            eventually(() -> b.metrics().tasksSuspended() == 1, "b's task suspended");
            assertEquals(1L, server.getAttribute(second, "TasksSuspended"));
            assertEquals(0L, server.getAttribute(first, "TasksSuspended"));
            assertEquals(a.fiberMode().name(), server.getAttribute(first, "FiberMode"));
            assertNotNull(server.getAttribute(first, "Resources"));
        }
        assertFalse(server.isRegistered(first));
        assertFalse(server.isRegistered(second));
    }
}
