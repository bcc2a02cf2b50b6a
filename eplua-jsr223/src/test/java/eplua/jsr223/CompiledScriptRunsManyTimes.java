package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import java.io.StringReader;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

class CompiledScriptRunsManyTimes {
    private final EpluaScriptEngine engine = Engines.create(new StringWriter(), new StringWriter());

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void compileOnceEvalMany() throws Exception {
        CompiledScript s = engine.compile("n = (n or 0) + 1 return n");
        assertSame(engine, s.getEngine());
        for (int i = 1; i <= 5; i++) assertEquals(i, s.eval());
        assertEquals(5, engine.get("n"));
    }

    @Test
    void compiledScriptsMayAwait() throws Exception {
        CompiledScript s = engine.compile(new StringReader("sleep(0.005) return 'slept'"));
        assertEquals("slept", s.eval());
        assertEquals("slept", s.eval());
    }

    @Test
    void compiledScriptRunsInOtherBindings() throws Exception {
        CompiledScript s = engine.compile("v = (v or 0) + 10 return v");
        Bindings own = engine.createBindings();
        assertEquals(10, s.eval(own));
        assertEquals(20, s.eval(own));
        SimpleBindings simple = new SimpleBindings();
        simple.put("v", 1);
        assertEquals(11, s.eval(simple));
        assertEquals(11, simple.get("v"));
        assertNull(engine.get("v"), "globals untouched");
        assertEquals(10, s.eval());
    }

    @Test
    void compiledRuntimeErrorsCarryTheCompileTimeFileName() throws Exception {
        engine.put(ScriptEngine.FILENAME, "compiled.lua");
        CompiledScript s = engine.compile("local x = ...\n\nerror('c')");
        engine.put(ScriptEngine.FILENAME, "other.lua");
        ScriptException e = assertThrows(ScriptException.class, s::eval);
        assertEquals("compiled.lua", e.getFileName());
        assertEquals(3, e.getLineNumber());
        ScriptException syntax = assertThrows(ScriptException.class, () -> engine.compile("return +"));
        assertEquals("other.lua", syntax.getFileName());
        assertEquals(1, syntax.getLineNumber());
    }
}
