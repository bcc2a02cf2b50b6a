package eplua.core;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Timers that are due while a callback holds the engine wait for their turn (a due Lua timer is queued as its
 * ticket and gets its task when it starts): they count as tasks alive all along, and when the engine closes before
 * their turn comes they are cancelled, none of them runs, and the engine lets go.
 */
class DueTimersThatNeverStartAreCancelledAtClose {
    @Test
    void queuedTimerCallbacksCountAsAliveAndNeverRunAfterClose() throws Exception {
        StringWriter out = new StringWriter();
        List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> spinning = new CompletableFuture<>();
        Engine e = Engine.builder().keepJvmAlive(false).output(out).errorHandler(errors::add)
                .gracePeriod(Duration.ofMillis(200)).build();
        e.call(() -> {
            e.globals().set("spinning", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    spinning.complete(null);
                    return NONE;
                }
            });
            return null;
        });
        e.join(e.eval(String.join("\n",
                "for i = 1, 1000 do",
                "  setTimeout(function()",
                "    print('ran ' .. i)",
                "    spinning()",
                "    while true do end", // holds the engine: the other 999 stay queued
                "  end, 0)",
                "end"), "due.lua"));
        spinning.get(10, TimeUnit.SECONDS);
        assertEquals(1000, e.metrics().tasksAlive(), "the running callback and the 999 queued ones");
        long t0 = System.nanoTime();
        e.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(e.isClosed());
        assertTrue(ms < 5_000, "close returns after the grace period: " + ms + " ms");
        assertEquals(List.of("ran 1"), out.toString().lines().toList(), "only the first callback ever ran");
        assertEquals(0, e.metrics().tasksAlive());
        assertEquals(0, e.metrics().timersPending());
        assertEquals(List.of(), errors, "cancelled at close is not an error");
    }
}
