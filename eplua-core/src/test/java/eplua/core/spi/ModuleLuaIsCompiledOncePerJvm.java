package eplua.core.spi;

import eplua.core.Engine;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Lua files the core and modules run at install are compiled once per JVM: two engines' functions from those
 * files share one LuaJ Prototype, while each engine keeps its own closures, upvalues and globals.
 */
class ModuleLuaIsCompiledOncePerJvm {
    @Test
    void twoEnginesShareTheCompiledFilesButNotTheirState() throws Exception {
        try (Engine a = engine(); Engine b = engine()) {
            for (String fn : new String[] {"clearTimeout", "await", "on_cleanup"}) { // core.lua
                LuaClosure ca = closure(a, "return " + fn), cb = closure(b, "return " + fn);
                assertNotSame(ca, cb, fn);
                assertSame(ca.p, cb.p, fn + ": core.lua compiled once");
            }
            LuaClosure ga = closure(a, "return greeter.greet"), gb = closure(b, "return greeter.greet");
            assertSame(ga.p, gb.p, "a discovered module's file compiled once");
            // the file's upvalue N is each engine's own native table: patching one engine's leaves the other's
            a.eval("_eplua.greeter.hello = function(n) return 'patched ' .. n end", "patch.lua").get(5, TimeUnit.SECONDS);
            assertEquals("patched x", eval(a, "return greeter.greet('x')").arg1().tojstring());
            assertEquals("hello, x", eval(b, "return greeter.greet('x')").arg1().tojstring());
            // and each engine's globals: the chunk ran with its own environment
            eval(a, "greeter = nil");
            assertTrue(eval(b, "return greeter ~= nil").arg1().toboolean());
        }
    }

    @Test
    void staticExportsWorkInEveryEngine() throws Exception {
        try (Engine a = engine(); Engine b = engine()) {
            assertEquals(42, eval(a, "return _eplua.greeter.twice(21)").arg1().toint());
            assertEquals(8, eval(b, "return _eplua.greeter.twice(4)").arg1().toint());
            assertTrue(eval(b, "local ok, e = pcall(_eplua.greeter.twice, 'x') return e").arg1().tojstring()
                    .contains("bad argument #1 to 'twice' (number expected, got string)"));
        }
    }

    private static Engine engine() {
        return Engine.builder().keepJvmAlive(false).build();
    }

    private static Varargs eval(Engine e, String script) throws Exception {
        return e.eval(script, "t.lua").get(5, TimeUnit.SECONDS);
    }

    private static LuaClosure closure(Engine e, String script) throws Exception {
        LuaValue v = eval(e, script).arg1();
        assertInstanceOf(LuaClosure.class, v, script);
        return (LuaClosure) v;
    }
}
