package eplua.jsr223;

import org.junit.jupiter.api.Test;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LookupByNameFindsEplua {
    private final ScriptEngineManager manager = new ScriptEngineManager();

    @Test
    void byNameIsAlwaysOursEvenWithLuajOnTheClasspath() throws Exception {
        ScriptEngine luaj = manager.getEngineByName("luaj");
        assertNotNull(luaj, "LuaJ's factory should be registered too (luaj-jse)");
        assertFalse(luaj instanceof EpluaScriptEngine);
        for (int i = 0; i < 3; i++) {
            try (EpluaScriptEngine e = (EpluaScriptEngine) new ScriptEngineManager().getEngineByName("eplua")) {
                assertEquals(42, e.eval("return 41 + 1"));
                assertSame(EpluaScriptEngineFactory.class, e.getFactory().getClass());
            }
        }
    }

    @Test
    void byExtensionAndMimeType() {
        for (ScriptEngine e : List.of(manager.getEngineByExtension("eplua"),
                manager.getEngineByMimeType("application/x-eplua"), manager.getEngineByMimeType("text/x-lua"))) {
            assertTrue(e instanceof EpluaScriptEngine, String.valueOf(e));
            ((EpluaScriptEngine) e).close();
        }
        assertNull(manager.getEngineByName("no-such-engine"));
        assertNull(manager.getEngineByExtension("no-such-ext"));
        assertNull(manager.getEngineByMimeType("text/no-such-type"));
    }

    @Test
    void factoryDescribesItselfWithoutStartingAnEngine() {
        ScriptEngineFactory f = manager.getEngineFactories().stream()
                .filter(x -> x instanceof EpluaScriptEngineFactory).findFirst().orElseThrow();
        assertEquals("eplua", f.getEngineName());
        assertEquals(List.of("eplua"), f.getNames());
        assertEquals(List.of("eplua"), f.getExtensions());
        assertTrue(f.getMimeTypes().contains("application/x-eplua"));
        assertEquals("lua", f.getLanguageName());
        assertEquals("5.2", f.getLanguageVersion());
        assertEquals("eplua", f.getParameter(ScriptEngine.ENGINE));
        assertEquals("eplua", f.getParameter(ScriptEngine.NAME));
        assertEquals("lua", f.getParameter(ScriptEngine.LANGUAGE));
        assertEquals("5.2", f.getParameter(ScriptEngine.LANGUAGE_VERSION));
        assertEquals(f.getEngineVersion(), f.getParameter(ScriptEngine.ENGINE_VERSION));
        assertEquals("MULTITHREADED", f.getParameter("THREADING"));
        assertNull(f.getParameter("no.such.key"));
        assertNull(f.getParameter(null));
    }

    @Test
    void engineAnswersTheSameKeys() {
        try (EpluaScriptEngine e = Engines.create()) {
            assertEquals("eplua", e.getFactory().getParameter(ScriptEngine.ENGINE));
            assertNotNull(e.engine());
            assertFalse(e.engine().isClosed());
        }
    }
}
