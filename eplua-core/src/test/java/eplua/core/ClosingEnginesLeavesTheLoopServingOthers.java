package eplua.core;

import eplua.core.convert.LuaConvert;
import eplua.core.testing.ManyEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 1,000 engines (or {@code -Deplua.test.engines=N}) on the shared loop group; 999 are closed, with no grace period,
 * while each holds a pending timer and an interval, and every tenth a task suspended on an await: the last one still
 * runs timers, tasks and invokes, none of the closed engines' callbacks or tasks ever runs again, and the group's
 * threads stay few throughout (on Java 17, plus one platform thread per suspended task, kept by its loop's pool).
 */
class ClosingEnginesLeavesTheLoopServingOthers {
    private static final int ENGINES = ManyEngines.COUNT;

    private final List<Engine> engines = new ArrayList<>();
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        for (Engine e : engines) e.close();
    }

    @Test
    void theLastOfAThousandStillRunsTimersTasksAndInvokes() throws Exception {
        int loops = LoopGroup.shared().loops();
        int threads0 = ManyEngines.liveThreads();
        AtomicInteger ranInClosed = new AtomicInteger();
        // one gate per engine: cancelling a task awaiting a future cancels that future (structured cancellation)
        List<CompletableFuture<Object>> gates = new ArrayList<>();
        int suspendedTasks = 0;
        for (int i = 0; i < ENGINES; i++) {
            Engine e = Engine.builder().name("closing-" + i).keepJvmAlive(false).gracePeriod(Duration.ZERO)
                    .errorHandler(errors::add).build();
            engines.add(e);
            CompletableFuture<Object> gate = new CompletableFuture<>();
            gates.add(gate);
            e.call(() -> {
                e.globals().set("gate", LuaConvert.toLua(gate));
                return null;
            });
            ManyEngines.define(e, "ran", args -> {
                if (e.isClosed()) ranInClosed.incrementAndGet();
                return LuaValue.NONE;
            });
            e.join(e.eval("setTimeout(ran, 3600000)\nsetInterval(ran, 250)", "pending.lua"));
            if (i % 10 == 9 || i == ENGINES - 1) { // every tenth engine (and the last) has a task suspended too
                e.join(e.eval("spawn(function() await(gate) ran() end)", "suspended.lua"));
                suspendedTasks++;
            }
        }
        // in fiber mode platform (Java 17) a task suspended on an await holds a platform thread, which goes back to
        // its loop's pool of idle fibers when the task ends; other modes' fibers are virtual threads
        int suspended = engines.get(0).fiberMode() == FiberMode.PLATFORM ? suspendedTasks : 0;
        String mode = ", fiber mode " + engines.get(0).fiberMode();
        ManyEngines.assertThreadsAdded(threads0, loops, suspended, ENGINES + " live engines" + mode);

        Engine last = engines.get(ENGINES - 1);
        for (Engine e : engines.subList(0, ENGINES - 1)) e.close();
        for (Engine e : engines.subList(0, ENGINES - 1)) assertTrue(e.isClosed());
        for (int i = 9; i < ENGINES - 1; i += 10)
            assertTrue(gates.get(i).isCancelled(), "closing engine " + i + " cancelled the future its task awaited");
        for (CompletableFuture<Object> g : gates) g.complete("open"); // only the last engine's is still open

        // the last engine: a timer, a task that sleeps and awaits, an invoke from this thread, one that awaits
        Varargs r = last.eval("local fired = false\n"
                + "setTimeout(function() fired = true end, 10)\n"
                + "local t = spawn(function(x) sleep(0.02) return x * 2 end, 21)\n"
                + "local v = t:await()\n"
                + "while not fired do sleep(0.005) end\n"
                + "function twice(x) return x * 2 end\n"
                + "function later(x) sleep(0.01) return x + 1 end\n"
                + "return v, fired, await(gate)", "last.lua").get(30, TimeUnit.SECONDS);
        assertEquals(42, r.arg1().toint());
        assertTrue(r.arg(2).toboolean());
        assertEquals("open", r.arg(3).tojstring());
        LuaValue twice = last.call(() -> last.globals().get("twice"));
        LuaValue later = last.call(() -> last.globals().get("later"));
        assertEquals(84, last.invoke(twice, LuaValue.valueOf(42)).arg1().toint());
        assertEquals(43, last.invoke(later, LuaValue.valueOf(42)).arg1().toint());
        // past two periods of the closed engines' intervals, on the loop they shared
        last.eval("sleep(0.6)", "wait.lua").get(30, TimeUnit.SECONDS);
        assertEquals(0, ranInClosed.get(), "callbacks or tasks of closed engines ran after their close");

        ManyEngines.assertThreadsAdded(threads0, loops, suspended, "one engine left" + mode);
        assertTrue(errors.isEmpty(), () -> "errors reported: " + errors);
    }
}
