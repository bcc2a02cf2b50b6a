package eplua.jsr223;

import eplua.core.Profile;
import org.junit.jupiter.api.Test;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The javax.script attribute {@code eplua.profile}: "sandbox" in the engine's bindings, in the global bindings or in a
 * context passed to eval restricts the engine before its first script; too late after it; one way only.
 */
class ProfileAttributeSandboxesTheEngine {
    /** io.open's error, or "open" when a trusted engine can call it. */
    private static final String PROBE = "local ok, err = pcall(io.open, '/nonexistent/eplua-probe') "
            + "return ok and 'open' or err";

    private static void assertSandboxed(ScriptEngine e) throws Exception {
        Object r = e.eval(PROBE);
        assertTrue(String.valueOf(r).startsWith("denied: io.open"), String.valueOf(r));
        assertEquals(Profile.SANDBOX, ((EpluaScriptEngine) e).engine().profile());
    }

    @Test
    void withoutTheAttributeTheEngineIsTrusted() throws Exception {
        try (EpluaScriptEngine e = Engines.create()) {
            assertEquals("open", e.eval(PROBE));
            assertEquals(Profile.TRUSTED, e.engine().profile());
        }
    }

    @Test
    void inTheEnginesBindings() throws Exception {
        try (EpluaScriptEngine e = Engines.create()) {
            e.put(EpluaScriptEngine.PROFILE, "sandbox");
            assertSandboxed(e);
        }
        try (EpluaScriptEngine e = Engines.create()) {
            e.getContext().setAttribute("eplua.profile", Profile.SANDBOX, ScriptContext.ENGINE_SCOPE);
            assertSandboxed(e);
        }
    }

    @Test
    void inTheManagersGlobalBindings() throws Exception {
        ScriptEngineManager m = new ScriptEngineManager();
        m.put("eplua.profile", "SANDBOX");
        try (EpluaScriptEngine e = (EpluaScriptEngine) m.getEngineByName("eplua")) {
            assertSandboxed(e);
        }
    }

    @Test
    void inAContextPassedToEval() throws Exception {
        try (EpluaScriptEngine e = Engines.create()) {
            SimpleScriptContext ctx = new SimpleScriptContext();
            SimpleBindings b = new SimpleBindings();
            b.put("eplua.profile", "sandbox");
            ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
            Object r = e.eval(PROBE, ctx);
            assertTrue(String.valueOf(r).startsWith("denied: io.open"), String.valueOf(r));
            assertSandboxed(e); // the engine itself, for every later call
        }
    }

    @Test
    void afterTheFirstScriptItIsTooLate() throws Exception {
        try (EpluaScriptEngine e = Engines.create()) {
            e.eval("x = 1");
            IllegalStateException x = assertThrows(IllegalStateException.class,
                    () -> e.put("eplua.profile", "sandbox"));
            assertTrue(x.getMessage().contains("too late for the sandbox"), x.getMessage());
            assertEquals("open", e.eval(PROBE), "still trusted, and said so");
        }
    }

    @Test
    void aSandboxedEngineStaysOne() throws Exception {
        try (EpluaScriptEngine e = Engines.create()) {
            e.put("eplua.profile", "sandbox");
            e.put("eplua.profile", "trusted");
            e.eval("_G['eplua.profile'] = 'trusted'");
            assertSandboxed(e);
        }
    }

    @Test
    void anUnknownProfileIsRefused() {
        try (EpluaScriptEngine e = Engines.create()) {
            assertThrows(IllegalArgumentException.class, () -> e.put("eplua.profile", "lenient"));
        }
    }
}
