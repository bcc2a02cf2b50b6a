package eplua.core.metrics;

import eplua.core.Engine;
import eplua.core.EngineMetrics;
import eplua.core.LoopGroup;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Engines of one loop delay each other: their metrics say which loop they are on and how many share it, and the
 * blocked-loop warning of one says how many others wait.
 */
class MetricsNameTheSharedLoop {
    @Test
    void metricsAndTheBlockedLoopWarningNameTheLoopAndItsEngines() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (LoopGroup group = LoopGroup.create(1);
             Engine slow = Engine.builder().loopGroup(group).name("shared-slow").keepJvmAlive(false)
                     .blockedLoopThreshold(Duration.ofMillis(200)).errorHandler(reports::add).build();
             Engine other = Engine.builder().loopGroup(group).name("shared-other").keepJvmAlive(false).build()) {
            EngineMetrics m = other.metrics();
            assertEquals(slow.loopName(), m.loop());
            assertEquals(2, m.enginesOnLoop());
            Varargs lua = other.eval("local m = eplua.metrics() return m.loop, m.engines_on_loop", "m.lua")
                    .get(5, TimeUnit.SECONDS);
            assertEquals(other.loopName(), lua.arg1().tojstring());
            assertEquals(2, lua.arg(2).toint());
            slow.eval("setTimeout(function() local t = os.clock() while os.clock() - t < 0.6 do end end, 0)", "busy.lua")
                    .get(5, TimeUnit.SECONDS);
            assertTrue(slow.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(1, reports.size(), reports::toString);
            String msg = reports.get(0).getMessage();
            assertTrue(msg.contains("engine shared-slow") && msg.contains("1 other engine on loop " + slow.loopName()),
                    msg);
        }
    }
}
