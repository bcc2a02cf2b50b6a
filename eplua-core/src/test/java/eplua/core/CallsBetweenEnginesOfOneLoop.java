package eplua.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Engines of one loop take turns, so a script of one engine calling another engine of its loop synchronously (a host
 * function that invokes it) must not wait for the loop it holds: the call runs nested, right there, and a call that
 * would have to wait (the other engine's function awaits) fails with a clear error instead of hanging.
 */
class CallsBetweenEnginesOfOneLoop {
    private static LoopGroup group;

    @BeforeAll
    static void oneLoop() {
        group = LoopGroup.create(1);
    }

    @AfterAll
    static void close() {
        group.close();
    }

    private static Engine engine() {
        return Engine.builder().loopGroup(group).keepJvmAlive(false).build();
    }

    /** Gives {@code from} a global {@code call_other(name)} that invokes {@code to}'s global function {@code name}. */
    private static void link(Engine from, Engine to) {
        from.call(() -> {
            from.globals().set("call_other", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue name) {
                    LuaValue fn = to.call(() -> to.globals().get(name.checkjstring()));
                    return to.invoke(fn, LuaValue.NONE).arg1();
                }
            });
            return null;
        });
    }

    @Test
    void aScriptCallsAnotherEngineOfItsLoopInline() throws Exception {
        try (Engine a = engine(); Engine b = engine()) {
            assertEquals(a.loopName(), b.loopName(), "one loop");
            b.eval("secret = 'b' function whoami() return secret end", "b.lua").get(5, TimeUnit.SECONDS);
            link(a, b);
            Varargs r = a.eval("secret = 'a' local other = call_other('whoami') return other, secret", "a.lua")
                    .get(5, TimeUnit.SECONDS);
            assertEquals("b", r.arg1().tojstring(), "b's function ran with b's globals");
            assertEquals("a", r.arg(2).tojstring(), "a's globals untouched");
            // from a spawned task, and from a job on the loop thread itself
            Varargs t = a.eval("return await(spawn(function() return call_other('whoami') end))", "a-task.lua")
                    .get(5, TimeUnit.SECONDS);
            assertEquals("b", t.arg1().tojstring());
            LuaValue whoami = b.call(() -> b.globals().get("whoami"));
            assertEquals("b", a.submit(() -> b.invoke(whoami, LuaValue.NONE).arg1().tojstring())
                    .get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNestedCallThatWouldWaitFailsClearly() throws Exception {
        try (Engine a = engine(); Engine b = engine()) {
            b.eval("function slow() sleep(0.01) return 1 end", "b.lua").get(5, TimeUnit.SECONDS);
            link(a, b);
            Varargs r = a.eval("return pcall(call_other, 'slow')", "a.lua").get(10, TimeUnit.SECONDS);
            assertFalse(r.arg1().toboolean(), "the call failed");
            assertTrue(r.arg(2).tojstring().contains("same loop"), r.arg(2).tojstring());
            // both engines still work
            assertEquals(1, b.invoke(b.call(() -> b.globals().get("slow")), LuaValue.NONE).toint(1));
            assertEquals(3, a.eval("return 1 + 2", "a2.lua").get(5, TimeUnit.SECONDS).toint(1));
        }
    }
}
