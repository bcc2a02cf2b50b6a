package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Java Error met while Lua runs (out of memory, a Java stack overflow, any other) never hangs anything: inside a
 * task it is a Lua error that pcall catches and awaiters and the host see, and the engine goes on; outside any task
 * the engine closes itself, says why, and the futures of its unfinished tasks fail. Other engines never notice.
 * (A real out-of-memory in a small heap: {@link OutOfMemoryInAChildJvm}.)
 */
class JavaErrorsBecomeLuaErrors {
    /** An engine whose global {@code throw_error()} throws {@code error} from Java. */
    private static Engine throwing(Error error, List<LuaScriptException> reports) {
        Engine e = Engine.builder().keepJvmAlive(false).errorHandler(reports::add).build();
        e.call(() -> {
            e.globals().set("throw_error", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    throw error;
                }
            });
            return null;
        });
        return e;
    }

    private static Varargs run(Engine e, String chunk) throws Exception {
        return e.eval(chunk, "errors.lua").get(20, TimeUnit.SECONDS);
    }

    @Test
    void unpackingTooManyValuesIsALuaError() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = run(e, "return pcall(table.unpack, {}, 1, 2^31 - 1)");
            assertFalse(r.arg1().toboolean());
            assertEquals("too many results to unpack", r.arg(2).tojstring());
            assertEquals(3, run(e, "return select('#', table.unpack({1, 2, 3}))").toint(1));
        }
    }

    @Test
    void aStackOverflowInACoroutineFailsTheCoroutineOnly() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = run(e, "local function deep(n) return deep(n + 1) + 1 end\n"
                    + "local co = coroutine.create(function() return deep(1) end)\n"
                    + "local ok, err = coroutine.resume(co)\n"
                    + "return ok, err, coroutine.status(co), pcall(deep, 1)");
            assertFalse(r.arg(1).toboolean());
            assertTrue(r.arg(2).tojstring().contains("stack overflow"), r.arg(2).tojstring());
            assertEquals("dead", r.arg(3).tojstring());
            assertFalse(r.arg(4).toboolean());
            assertTrue(r.arg(5).tojstring().contains("stack overflow"), r.arg(5).tojstring());
            assertEquals(2, run(e, "return 1 + 1").toint(1), "the engine goes on");
        }
    }

    @Test
    void outOfMemoryInATaskIsALuaErrorThatPcallAwaitersAndTheHostSee() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine e = throwing(new OutOfMemoryError("Java heap space"), reports)) {
            Varargs r = run(e, "local ok, err = pcall(throw_error)\n"
                    + "local ok2, err2 = xpcall(throw_error, function(m) return 'handled: ' .. m end)\n"
                    + "local t = spawn(throw_error)\n"
                    + "local ok3, err3 = pcall(function() return t:await() end)\n"
                    + "return ok, err, ok2, err2, ok3, err3, t:status()");
            assertFalse(r.arg(1).toboolean());
            assertEquals("out of memory", r.arg(2).tojstring());
            assertFalse(r.arg(3).toboolean());
            assertEquals("handled: out of memory", r.arg(4).tojstring());
            assertFalse(r.arg(5).toboolean());
            assertTrue(r.arg(6).tojstring().contains("out of memory"), r.arg(6).tojstring());
            assertEquals("failed", r.arg(7).tojstring());
            ExecutionException x = assertThrows(ExecutionException.class, () -> run(e, "throw_error()"));
            assertTrue(x.getCause() instanceof LuaScriptException);
            assertTrue(x.getCause().getMessage().contains("out of memory"), x.getCause().getMessage());
            assertEquals(2, run(e, "return 1 + 1").toint(1), "the engine goes on");
            assertFalse(e.isClosed());
            assertTrue(reports.isEmpty(), "every failure had someone to see it: " + reports);
        }
    }

    @Test
    void anyOtherJavaErrorIsALuaErrorNamingIt() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine e = throwing(new AssertionError("boom"), reports)) {
            Varargs r = run(e, "return pcall(throw_error)");
            assertFalse(r.arg1().toboolean());
            assertEquals("java.lang.AssertionError: boom", r.arg(2).tojstring());
            run(e, "spawn(throw_error)"); // nobody awaits it: the error handler hears of it
            assertTrue(e.awaitIdle(java.time.Duration.ofSeconds(5)));
            assertEquals(1, reports.size());
            assertTrue(reports.get(0).getMessage().contains("java.lang.AssertionError: boom"), reports.get(0).getMessage());
        }
    }

    @Test
    void aJavaErrorOutsideAnyTaskClosesTheEngineAndFailsItsFutures() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine other = Engine.builder().keepJvmAlive(false).build();
             Engine e = Engine.builder().keepJvmAlive(false).ownLoop(true).errorHandler(reports::add).build()) {
            CompletableFuture<Varargs> waiting = e.eval("sleep(60) return 1", "waiting.lua");
            assertThrows(OutOfMemoryError.class, () -> e.call(() -> {
                throw new OutOfMemoryError("Java heap space");
            }));
            ExecutionException x = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(x.getCause() instanceof LuaScriptException, String.valueOf(x.getCause()));
            assertTrue(x.getCause().getMessage().contains("engine closed: out of memory"), x.getCause().getMessage());
            assertFalse(e.isRunning(), "the engine is closing");
            Thread loop = eplua.core.internal.Internals.of(e).loopThread();
            loop.join(10_000);
            assertFalse(loop.isAlive(), "the engine's loop ended");
            assertTrue(e.isClosed(), "the engine closed itself");
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).getMessage().contains("closed itself"), reports.get(0).getMessage());
            assertEquals(3, other.eval("return 1 + 2", "other.lua").get(5, TimeUnit.SECONDS).toint(1),
                    "another engine of the JVM never noticed");
        }
    }
}
