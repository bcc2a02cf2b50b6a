package eplua.core;

import eplua.core.internal.Internals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code close()} called on the engine's own Lua thread (a Java function a script calls, a posted job) cannot wait
 * for the loop it runs on: it returns at once, the loop closes everything as soon as it gets its turn back, and its
 * thread ends (no re-posting, no spinning). Run in every fiber mode the JVM has.
 */
class CloseFromTheEnginesOwnThread {
    /**
     * An engine in {@code mode} (the test is skipped where the JVM lacks it), its loop thread, and {@code returned},
     * which completes with {@code isClosed()} when the {@code close_engine()} its scripts call has returned.
     */
    private record Fixture(Engine e, Thread loop, CompletableFuture<Boolean> returned) {}

    private static Fixture start(FiberMode mode) {
        assumeTrue(eplua.core.internal.task.Fibers.choose(mode, false).mode() == mode, mode + " not on this JVM");
        CompletableFuture<Boolean> returned = new CompletableFuture<>();
        // a loop of its own, whose thread must end; the grace period for the tasks sleeping below is short
        // (CloseGivesTasksAGracePeriod tests the grace period itself; ClosingEnginesLeavesTheLoopServingOthers the
        // close of an engine on a shared loop)
        Engine e = Engine.builder().fiberMode(mode).ownLoop(true).gracePeriod(java.time.Duration.ofMillis(200))
                .build();
        assertEquals(mode, e.fiberMode(), "the mode asked for");
        e.call(() -> {
            e.globals().set("close_engine", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    e.close();
                    returned.complete(e.isClosed());
                    return NIL;
                }
            });
            return null;
        });
        return new Fixture(e, Internals.of(e).loopThread(), returned);
    }

    /** The engine ends closed: its loop thread and every other thread of its own have ended. */
    private static void assertEndsClosed(Engine e, Thread loop) throws InterruptedException {
        loop.join(10_000);
        assertFalse(loop.isAlive(), "the loop thread ends (it would spin re-posting the close)");
        assertTrue(e.isClosed());
        assertFalse(e.isAlive());
        List<Thread> own = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith(e.name() + "-")) own.add(t);
        for (Thread t : own) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " is still alive");
        }
        assertThrows(IllegalStateException.class, () -> e.eval("return 1", "after.lua"));
        e.close(); // again, from outside: a no-op
    }

    @ParameterizedTest
    @EnumSource(FiberMode.class)
    void fromATimerCallback(FiberMode mode) throws Exception {
        Fixture f = start(mode);
        Engine e = f.e();
        CompletableFuture<Varargs> held = e.eval("spawn(function() sleep(3600) end)\n"
                + "setInterval(function() end, 1000)\n"
                + "setTimeout(function() close_engine() end, 1)\n"
                + "sleep(3600)", "timer.lua");
        assertFalse(f.returned().get(10, TimeUnit.SECONDS), "close() returns before the engine is closed");
        assertEndsClosed(e, f.loop());
        assertTrue(held.isDone(), "the main chunk, suspended when the engine closed, is settled");
    }

    @ParameterizedTest
    @EnumSource(FiberMode.class)
    void fromInsideATask(FiberMode mode) throws Exception {
        Fixture f = start(mode);
        Engine e = f.e();
        e.eval("local co = coroutine.create(function() coroutine.yield() end)\n"
                + "coroutine.resume(co)\n"
                + "spawn(function() sleep(0) close_engine() end)\n"
                + "setInterval(function() end, 1000)", "task.lua");
        assertFalse(f.returned().get(10, TimeUnit.SECONDS));
        assertEndsClosed(e, f.loop());
    }

    @ParameterizedTest
    @EnumSource(FiberMode.class)
    void fromAJobPostedToTheLoop(FiberMode mode) throws Exception {
        Fixture f = start(mode);
        Engine e = f.e();
        Thread loop = f.loop();
        e.join(e.eval("spawn(function() sleep(3600) end) setInterval(function() end, 1000)", "hold.lua"));
        CompletableFuture<Boolean> closedInline = new CompletableFuture<>();
        e.post(() -> {
            assertSame(loop, Thread.currentThread());
            e.close();
            closedInline.complete(e.isClosed());
        });
        assertFalse(closedInline.get(10, TimeUnit.SECONDS), "close() on the loop returns before the loop closes");
        assertEndsClosed(e, loop);
    }

    @ParameterizedTest
    @EnumSource(FiberMode.class)
    void fromAFunctionAHostThreadInvokes(FiberMode mode) throws Exception {
        Fixture f = start(mode);
        Engine e = f.e();
        LuaValue fn = e.call(() -> e.compile("return function() close_engine() return 'after' end", "inv.lua", null)
                .call());
        try {
            e.invoke(fn, LuaValue.NONE); // this thread runs the call itself, holding the baton
        } catch (RuntimeException ended) {
            // the call is cut short at its next instruction (the engine closed under it): either outcome is fine
        }
        assertFalse(f.returned().get(10, TimeUnit.SECONDS));
        assertEndsClosed(e, f.loop());
    }
}
