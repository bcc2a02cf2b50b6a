package eplua.core.internal.task;

import eplua.core.Engine;
import eplua.core.FiberMode;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On Java 21+ (with {@code --add-opens java.base/java.lang}, as the build passes it) an engine's fibers are virtual
 * threads mounted on its own loop thread; Java code that blocks inside a task still gets its fiber back.
 */
class FibersRunOnTheLoopThread {
    /** The JVM was started with the add-opens fibers on the loop thread need (the build's second Java 21+ run is not). */
    private static boolean opened() {
        return Runtime.version().feature() >= 21 && !Boolean.getBoolean("eplua.test.noFlags");
    }

    private static Engine engine() {
        return Engine.builder().keepJvmAlive(false).build();
    }

    @Test
    void tasksCoroutinesAndMainChunksRunOnTheLoopThread() throws Exception {
        assumeTrue(opened(), "virtual threads need Java 21+, carried ones --add-opens java.base/java.lang");
        try (Engine e = engine()) {
            assertEquals(FiberMode.CARRIED, e.fiberMode(), "fibers should be carried by the loop thread");
            String loop = e.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS); // call() may run on the caller
            Varargs v = e.eval("local T = luajava.bindClass('java.lang.Thread')\n"
                    + "local function here() return tostring(T:currentThread()) end\n"
                    + "local t = spawn(function() sleep(0) return here() end)\n"
                    + "local co = coroutine.wrap(function() coroutine.yield(here()) end)\n"
                    + "return await(t), co(), here()", "where.lua").get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 3; i++) {
                String where = v.arg(i).tojstring();
                assertTrue(where.startsWith("VirtualThread[") && where.endsWith("@" + loop),
                        "value " + i + " ran on " + where + ", not on a fiber carried by " + loop);
            }
            // and Netty takes a running fiber for its event loop (writes from Lua go straight to the socket)
            e.call(() -> {
                e.globals().set("netty_loop", org.luaj.vm2.lib.jse.CoerceJavaToLua.coerce(e.eventLoop()));
                return null;
            });
            Varargs in = e.eval("local t = spawn(function() sleep(0) return netty_loop:inEventLoop() end)\n"
                    + "return netty_loop:inEventLoop(), await(t)", "inloop.lua").get(10, TimeUnit.SECONDS);
            assertTrue(in.arg1().toboolean(), "main chunk's fiber is in the event loop");
            assertTrue(in.arg(2).toboolean(), "a task's fiber, resumed after a sleep, is in the event loop");
            assertFalse(e.eventLoop().inEventLoop(), "a foreign thread is not");
        }
    }

    @Test
    void javaThatBlocksInsideATaskHandsItsFiberBack() throws Exception {
        try (Engine e = engine()) {
            // Thread.sleep parks the fiber with a timeout: a JDK thread wakes it, not the loop
            Varargs v = e.eval("local T = luajava.bindClass('java.lang.Thread')\n"
                    + "local t = spawn(function() sleep(0) T:sleep(30) return 'woke' end)\n"
                    + "local r = await(t, 5000)\n"
                    + "sleep(0)\n"
                    + "return r", "block.lua").get(10, TimeUnit.SECONDS);
            assertEquals("woke", v.arg1().tojstring());
            // and the engine still runs ordinary work afterwards
            assertEquals(3, e.eval("return 1 + 2", "after.lua").get(5, TimeUnit.SECONDS).arg1().toint());
        }
    }

    @Test
    void withoutTheCarrierFibersStillWorkOnTheSharedScheduler() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        // what a host JVM started without --add-opens gets (eplua.carrier=false chooses the same on purpose)
        System.setProperty("eplua.carrier", "false");
        try (Engine e = engine()) {
            assertEquals(FiberMode.VIRTUAL, e.fiberMode());
            Varargs v = e.eval("local got = {}\n"
                    + "local tasks = {}\n"
                    + "for i = 1, 50 do tasks[i] = spawn(function() sleep(0.001 * (i % 3)) return i end) end\n"
                    + "local sum = 0\n"
                    + "for i = 1, 50 do sum = sum + await(tasks[i]) end\n"
                    + "local co = coroutine.wrap(function() for i = 1, 3 do sleep(0) coroutine.yield(i) end end)\n"
                    + "return sum, co() + co() + co()", "shared.lua").get(10, TimeUnit.SECONDS);
            assertEquals(1275, v.arg1().toint());
            assertEquals(6, v.arg(2).toint());
        } finally {
            System.clearProperty("eplua.carrier");
        }
    }

    @Test
    void luaRecursesDeepOnTheLoopThreadsStack() throws Exception {
        assumeTrue(opened(), "virtual threads need Java 21+, carried ones --add-opens java.base/java.lang");
        try (Engine e = engine()) {
            Varargs v = e.eval("local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end\n"
                    + "local ok, r = pcall(f, 10000)\n"
                    + "local t = spawn(function() return f(10000) end)\n"
                    + "local deep_ok, deep_err = pcall(f, 1e7)\n"
                    + "return r, await(t), deep_ok, deep_err", "deep.lua").get(30, TimeUnit.SECONDS);
            assertEquals(10000, v.arg1().toint(), "10,000 levels in a main chunk");
            assertEquals(10000, v.arg(2).toint(), "10,000 levels in a task");
            assertFalse(v.arg(3).toboolean());
            assertEquals("stack overflow", v.arg(4).tojstring(), "too deep is a Lua error, not a dead engine");
        }
    }
}
