package eplua.jsr223;

import eplua.core.LuaScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.ScriptEngine;
import javax.script.ScriptException;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

class EvalReportsLineNumber {
    private final EpluaScriptEngine engine = Engines.create(new StringWriter(), new StringWriter());

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void runtimeErrorCarriesFileAndLine() throws Exception {
        engine.put(ScriptEngine.FILENAME, "dev/x.lua");
        ScriptException e = assertThrows(ScriptException.class,
                () -> engine.eval("local a = 1\n\nerror('boom')\n"));
        assertEquals("dev/x.lua", e.getFileName());
        assertEquals(3, e.getLineNumber());
        assertTrue(e.getMessage().startsWith("dev/x.lua:3: boom"), e.getMessage());
        assertTrue(e.getCause() instanceof LuaScriptException);
        assertNotNull(((LuaScriptException) e.getCause()).traceback());
        assertEquals(2, engine.eval("return 1 + 1"), "still usable after an error");
    }

    @Test
    void syntaxErrorCarriesFileAndLine() throws Exception {
        engine.put(ScriptEngine.FILENAME, "dev/syntax.lua");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("x = 1\ny = = 2\n"));
        assertEquals("dev/syntax.lua", e.getFileName());
        assertEquals(2, e.getLineNumber());
        assertThrows(ScriptException.class, () -> engine.compile("local = 1"));
        assertEquals("ok", engine.eval("return 'ok'"));
    }

    @Test
    void defaultChunkNameIsEval() {
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("\nlocal t = nil\nreturn t.x"));
        assertEquals(EpluaScriptEngine.DEFAULT_FILENAME, e.getFileName());
        assertEquals(3, e.getLineNumber());
    }

    @Test
    void errorInAnotherChunkReportsThatChunk() throws Exception {
        engine.put(ScriptEngine.FILENAME, "lib.lua");
        engine.eval("function fail()\n  error('deep')\nend");
        engine.put(ScriptEngine.FILENAME, "main.lua");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("fail()"));
        assertEquals("lib.lua", e.getFileName());
        assertEquals(2, e.getLineNumber());
        ScriptException i = assertThrows(ScriptException.class, () -> engine.invokeFunction("fail"));
        assertEquals("lib.lua", i.getFileName());
        assertEquals(2, i.getLineNumber());
    }

    @Test
    void tableErrorsAndJavaExceptionsAreScriptExceptions() throws Exception {
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("error({code = 7})"));
        assertEquals(7, ((LuaScriptException) e.getCause()).value().get("code").toint());
        engine.put("thrower", new Object() {
            @SuppressWarnings("unused")
            public void fail() {
                throw new IllegalArgumentException("java side");
            }
        });
        ScriptException j = assertThrows(ScriptException.class, () -> engine.eval("thrower:fail()"));
        assertTrue(j.getMessage().contains("java side"), j.getMessage());
        assertEquals(3, engine.eval("return 3"));
    }

    @Test
    void errorsAfterAnAwaitStillCarryTheLine() {
        engine.put(ScriptEngine.FILENAME, "async.lua");
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("sleep(0.01)\nerror('later')"));
        assertEquals("async.lua", e.getFileName());
        assertEquals(2, e.getLineNumber());
    }
}
