package eplua.core;

import eplua.core.convert.LuaConvert;
import eplua.core.internal.Internals;
import eplua.core.internal.task.Scheduler;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The Java edge of tasks: Lua awaits CompletableFutures, Java gets futures for Lua tasks. */
class TaskBridgeTest {
    private static Engine engine(List<LuaScriptException> errors) {
        return Engine.builder().keepJvmAlive(false).errorHandler(errors::add).build();
    }

    @Test
    void luaAwaitsFutureCompletedByAnotherThread() throws Exception {
        List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        try (Engine e = engine(errors)) {
            CompletableFuture<Object> fut = new CompletableFuture<>();
            e.call(() -> {
                e.globals().set("fut", LuaConvert.toLua(fut));
                return null;
            });
            CompletableFuture<Varargs> r = e.eval("local v = await(fut) return v.n * 2, v.name", "bridge.lua");
            assertFalse(r.isDone(), "the chunk waits for the future");
            new Thread(() -> fut.complete(java.util.Map.of("n", 21, "name", "x"))).start();
            Varargs v = r.get(5, TimeUnit.SECONDS);
            assertEquals(42, v.arg1().toint());
            assertEquals("x", v.arg(2).tojstring());
        }
    }

    @Test
    void failedFutureRaisesInLuaAndTryAwaitReturnsNilErr() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            CompletableFuture<Object> fut = new CompletableFuture<>();
            fut.completeExceptionally(new java.io.IOException("refused: nobody home"));
            e.call(() -> {
                e.globals().set("fut", LuaConvert.toLua(fut));
                return null;
            });
            Varargs v = e.eval("local ok, err = pcall(await, fut)\n"
                    + "local v, err2 = _eplua.core.try_await(fut)\n"
                    + "return ok, err, v, err2", "f.lua").get(5, TimeUnit.SECONDS);
            assertFalse(v.arg1().toboolean());
            assertEquals("refused: nobody home", v.arg(2).tojstring());
            assertTrue(v.arg(3).isnil());
            assertEquals("refused: nobody home", v.arg(4).tojstring());
        }
    }

    @Test
    void javaGetsFutureOfLuaTask() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            LuaValue fn = e.call(() -> e.compile("return function(a) sleep(0.01) return a + 1 end", "t.lua", null).call());
            CompletableFuture<Varargs> f = e.spawn(fn, LuaValue.valueOf(41));
            assertEquals(42, f.get(5, TimeUnit.SECONDS).arg1().toint());
            CompletableFuture<Varargs> bad = e.eval("sleep(0.001) error({code = 3})", "bad.lua");
            ExecutionException x = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            LuaScriptException l = (LuaScriptException) x.getCause();
            assertTrue(l.value().istable(), "the error value stays a table");
            assertEquals(3, l.value().get("code").toint());
        }
    }

    @Test
    void unawaitedFailureIsReportedOnceWithTraceback() throws Exception {
        List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        try (Engine e = engine(errors)) {
            e.join(e.eval("spawn(function() sleep(0.001) error('lost') end)\n"
                    + "setTimeout(function() error('in timer') end, 1)", "unawaited.lua"));
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(2, errors.size(), errors.toString());
            assertTrue(errors.stream().anyMatch(x -> x.getMessage().contains("unawaited.lua:1: lost")));
            assertTrue(errors.stream().allMatch(x -> x.traceback() != null && x.traceback().startsWith("stack traceback")));
        }
    }

    @Test
    void intervalGoesOnAfterAnError() throws Exception {
        List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        try (Engine e = engine(errors)) {
            Varargs v = e.eval("local n = 0\n"
                    + "local id\n"
                    + "id = setInterval(function() n = n + 1 if n == 3 then clearInterval(id) end error('tick ' .. n) end, 1)\n"
                    + "sleep(0.1)\n"
                    + "return n", "iv.lua").get(5, TimeUnit.SECONDS);
            assertEquals(3, v.arg1().toint());
            assertEquals(3, errors.size());
        }
    }

    @Test
    void systemTimersDoNotKeepTheEngineAlive() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            e.join(e.eval("setTimeout(function() end, 60000, {system = true})", "sys.lua"));
            assertTrue(e.awaitIdle(Duration.ofSeconds(2)));
            e.join(e.eval("setTimeout(function() end, 60000)", "live.lua"));
            assertFalse(e.awaitIdle(Duration.ofMillis(100)), "a normal timer keeps the engine alive");
        }
    }

    @Test
    void callbacksRunOnTheLuaThread() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            CompletableFuture<Boolean> seen = new CompletableFuture<>();
            e.call(() -> {
                e.globals().set("probe", new org.luaj.vm2.lib.ZeroArgFunction() {
                    @Override
                    public LuaValue call() {
                        seen.complete(e.inLoop());
                        return NIL;
                    }
                });
                return null;
            });
            e.join(e.eval("setTimeout(function() probe() end, 1)", "probe.lua"));
            assertTrue(seen.get(5, TimeUnit.SECONDS));
            assertFalse(e.inLoop(), "the test thread is not the loop");
        }
    }

    @Test
    void closeEndsTasksAndCoroutinesAndFreesThreads() throws Exception {
        Engine e = engine(new CopyOnWriteArrayList<>());
        e.join(e.eval("for i = 1, 20 do spawn(function() sleep(1000) end) end\n"
                + "for i = 1, 5 do local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) end\n"
                + "setInterval(function() end, 1000)", "hold.lua"));
        String prefix = e.name() + "-";
        assertTrue(e.isAlive());
        e.close();
        assertTrue(e.isClosed());
        long left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
        assertEquals(0, left, "threads of the closed engine still alive");
        assertThrows(IllegalStateException.class, () -> e.eval("return 1", "after.lua"));
    }

    @Test
    void registeredCallbackIsCompletedFromAnotherThread() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            long id = e.call(() -> {
                LuaValue fn = e.compile("return function(a, b) got = a .. ':' .. b end", "cb.lua", null).call();
                return e.registerCallback(fn, false);
            });
            assertFalse(e.awaitIdle(Duration.ofMillis(50)), "a pending callback keeps the engine alive");
            Thread t = new Thread(() -> e.complete(id, "done", 7));
            t.start();
            t.join();
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            assertEquals("done:7", e.call(() -> e.globals().get("got").tojstring()));
            e.complete(id, "again"); // a completed id is ignored
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            assertEquals("done:7", e.call(() -> e.globals().get("got").tojstring()));
        }
    }

    @Test
    void idleFibersAreTrimmedAfterABurst() throws Exception {
        try (Engine e = engine(new CopyOnWriteArrayList<>())) {
            e.join(e.eval("local ts = {}\n"
                    + "for i = 1, 600 do ts[i] = spawn(function() sleep(0.005) end) end\n"
                    + "for i = 1, 600 do ts[i]:await() end", "burst.lua"));
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            Scheduler s = Internals.of(e).lua().scheduler();
            assertTrue(e.call(s::fiberCount) >= 600, "a burst's fibers are kept for reuse at first");
            int fibers = e.call(() -> {
                s.trimIdle(0); // what the trim timer does once they have been idle a second
                return s.fiberCount();
            });
            assertTrue(fibers <= 256, "idle fibers kept after trimming: " + fibers);
        }
    }
}
