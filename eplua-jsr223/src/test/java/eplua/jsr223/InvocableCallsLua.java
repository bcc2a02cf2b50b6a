package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.ScriptException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.*;

class InvocableCallsLua {
    private final EpluaScriptEngine engine = Engines.create(new StringWriter(), new StringWriter());

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void invokeFunctionConvertsBothWays() throws Exception {
        engine.eval("function add(a, b) return a + b end\n"
                + "function describe(t) return #t.list .. ':' .. t.map.k end\n"
                + "function pair() return {x = 1}, 'ignored' end\n"
                + "function none() end");
        assertEquals(5, engine.invokeFunction("add", 2, 3));
        assertEquals(2.5, engine.invokeFunction("add", 2, 0.5));
        assertEquals("3:v", engine.invokeFunction("describe", Map.of("list", List.of(1, 2, 3), "map", Map.of("k", "v"))));
        assertEquals(Map.of("x", 1), engine.invokeFunction("pair"));
        assertNull(engine.invokeFunction("none"));
    }

    @Test
    void missingFunctionIsNoSuchMethod() throws Exception {
        engine.eval("notAFunction = 3");
        assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("nope"));
        assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("notAFunction"));
        Object obj = engine.eval("return {}");
        assertThrows(NoSuchMethodException.class, () -> engine.invokeMethod(obj, "nope"));
        assertThrows(IllegalArgumentException.class, () -> engine.invokeMethod(null, "nope"));
    }

    @Test
    void invokeMethodUsesTheOriginalTable() throws Exception {
        Object counter = engine.eval("local C = {} C.__index = C\n"
                + "function C:add(k) self.n = self.n + k return self.n end\n"
                + "return setmetatable({n = 1}, C)");
        assertTrue(counter instanceof Map);
        assertEquals(6, engine.invokeMethod(counter, "add", 5));
        assertEquals(16, engine.invokeMethod(counter, "add", 10), "state lives in the Lua table");
    }

    @Test
    void invokedFunctionsMayAwait() throws Exception {
        engine.eval("function later(v) sleep(0.005) return v * 2 end");
        assertEquals(42, engine.invokeFunction("later", 21));
    }

    @Test
    void errorsInInvokedFunctionsAreScriptExceptions() throws Exception {
        engine.eval("function bad() error('bad call') end");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.invokeFunction("bad"));
        assertTrue(e.getMessage().contains("bad call"));
        assertEquals(1, e.getLineNumber());
        assertEquals(1, engine.eval("return 1"));
    }

    public interface Calculator {
        int add(int a, int b);

        double half(double x);

        String name();

        default String greet() {
            return "hello " + name();
        }
    }

    @Test
    void getInterfaceProxiesLuaFunctions() throws Exception {
        assertNull(engine.getInterface(Calculator.class), "functions missing: null");
        engine.eval("function add(a, b) return a + b end function half(x) return x / 2 end"
                + " function name() return 'lua' end");
        Calculator c = engine.getInterface(Calculator.class);
        assertEquals(7, c.add(3, 4));
        assertEquals(2.0, c.half(4));
        assertEquals("hello lua", c.greet());
        IntBinaryOperator op = engine.getInterface(engine.eval("return {applyAsInt = function(self, a, b) return a * b end}"),
                IntBinaryOperator.class);
        assertEquals(12, op.applyAsInt(3, 4));
        assertThrows(IllegalArgumentException.class, () -> engine.getInterface(String.class));
    }

    /** A Java object that calls back into the engine while Lua is calling it. */
    public static final class Reentrant {
        private final EpluaScriptEngine engine;

        Reentrant(EpluaScriptEngine engine) {
            this.engine = engine;
        }

        public Object callBack(int v) throws Exception {
            engine.put("seenFromJava", v);
            Object doubled = engine.invokeFunction("inner", v);
            Object plus = engine.eval("return seenFromJava + 1");
            return ((Number) doubled).intValue() + ((Number) plus).intValue();
        }
    }

    @Test
    void luaCallingJavaCallingBackDoesNotDeadlock() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            engine.put("java", new Reentrant(engine));
            engine.eval("function inner(v) return v * 2 end\n"
                    + "function outer(v) return java:callBack(v) end");
            assertEquals(10 + 6, engine.invokeFunction("outer", 5));
            assertEquals(10 + 6, engine.eval("return outer(5)"));
        });
    }
}
