package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The javax.script fast path: a host thread calling into an idle engine takes the baton itself and runs the function
 * right there (no hop to the loop thread); a call that suspends continues as a task while the caller waits; the
 * loop, timers and bindings keep working around such calls.
 */
class InvokeOnIdleEngineRunsOnTheCallerThread {
    @Test
    void idleEngineRunsTheFunctionOnTheCallingThread() throws Exception {
        try (EpluaScriptEngine engine = Engines.create()) {
            engine.eval("local T = luajava.bindClass('java.lang.Thread')\n"
                    + "function where() return T:currentThread():getName() end");
            assertTrue(engine.engine().awaitIdle(Duration.ofSeconds(5)));
            String me = Thread.currentThread().getName();
            // the loop may still be on its way to its selector: the first calls may hop, later ones must not
            Object where = null;
            for (int i = 0; i < 1000 && !me.equals(where); i++) where = engine.invokeFunction("where");
            assertEquals(me, where, "an idle engine runs the call on the caller's thread");
        }
    }

    @Test
    void callThatSuspendsContinuesAsATaskAndReturnsItsResult() throws Exception {
        try (EpluaScriptEngine engine = Engines.create()) {
            engine.eval("function slow(x) sleep(0.02) local t = spawn(function() return x * 2 end) return await(t) end");
            for (int i = 0; i < 20; i++) assertEquals(2 * i, engine.invokeFunction("slow", i));
        }
    }

    @Test
    void bindingsFromHostThreadsSeeEveryWrite() throws Exception {
        try (EpluaScriptEngine engine = Engines.create()) {
            for (int i = 0; i < 2000; i++) {
                engine.put("k" + (i % 10), i);
                assertEquals(i, engine.get("k" + (i % 10)));
                assertTrue(engine.getBindings(javax.script.ScriptContext.ENGINE_SCOPE).containsKey("k" + (i % 10)));
            }
            assertEquals(1999 + 1998, engine.eval("return k9 + k8"));
        }
    }

    @Test
    void timersKeepFiringWhileAHostThreadHammersTheEngine() throws Exception {
        try (EpluaScriptEngine engine = Engines.create()) {
            CountDownLatch ticks = new CountDownLatch(20);
            engine.put("latch", ticks);
            engine.eval("function add(a, b) return a + b end\n"
                    + "iv = setInterval(function() latch:countDown() end, 5)");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread hammer = new Thread(() -> {
                try {
                    for (long i = 0; !stop.get(); i++)
                        if (((Number) engine.invokeFunction("add", i, 1)).longValue() != i + 1) throw new AssertionError(i);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            hammer.start();
            try {
                assertTrue(ticks.await(10, TimeUnit.SECONDS), "the loop gets the baton back between host calls: "
                        + ticks.getCount() + " ticks missing");
            } finally {
                stop.set(true);
                hammer.join();
            }
            assertNull(failed.get());
            engine.eval("clearInterval(iv)");
        }
    }
}
