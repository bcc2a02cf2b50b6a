package eplua.core.metrics;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

class BlockedLoopIsReportedOnce {
    @Test
    void aThreeSecondBusyCallbackIsReportedOnceWithItsTraceback() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().name("blocked-3s").errorHandler(reports::add).build()) {
            e.eval("local function spin()\n"
                    + "  local t = os.clock() while os.clock() - t < 3 do end\n" // line 2
                    + "end\n"
                    + "setTimeout(function()\n" // line 4
                    + "  spin()\n"
                    + "end, 0)\n", "busy.lua").get();
            assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(1, reports.size(), reports::toString);
            LuaScriptException r = reports.get(0);
            assertTrue(r.getMessage().startsWith("blocked loop: "), r.getMessage());
            assertTrue(r.getMessage().contains("engine blocked-3s"), r.getMessage());
            assertTrue(r.getMessage().contains("busy.lua:4"), r.getMessage());
            String tb = r.describe();
            assertTrue(tb.contains("busy.lua:2"), "the traceback shows the spinning line: " + tb);
            assertTrue(tb.contains("busy.lua:5"), "and its caller: " + tb);
            assertEquals(1, e.metrics().blockedLoopWarnings());
        }
    }

    @Test
    void normalCallbacksAreNotReported() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().name("blocked-none").errorHandler(reports::add)
                .blockedLoopThreshold(Duration.ofMillis(1000)).build()) {
            // many short turns, one of them 200 ms: each under the limit, together well over it
            e.eval("for i = 1, 40 do\n"
                    + "  setTimeout(function() local t = os.clock() while os.clock() - t < 0.03 do end end, i * 5)\n"
                    + "end\n"
                    + "setTimeout(function() local t = os.clock() while os.clock() - t < 0.2 do end end, 0)\n"
                    + "spawn(function() for i = 1, 10 do sleep(0.05) end end)", "fine.lua").get();
            assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(List.of(), reports);
            assertEquals(0, e.metrics().blockedLoopWarnings());
        }
    }
}
