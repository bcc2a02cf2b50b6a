package eplua.jsr223;

import eplua.core.FiberMode;
import org.junit.jupiter.api.Test;

import javax.script.ScriptEngineFactory;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** {@code getParameter("eplua.fiberMode")} names the fiber mode the factory's next engine gets. */
class FactoryTellsTheFiberMode {
    private static String name(FiberMode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void parameterIsTheModeOfTheNextEngine() {
        ScriptEngineFactory f = new EpluaScriptEngineFactory();
        Object said = f.getParameter(EpluaScriptEngineFactory.FIBER_MODE);
        assertEquals("eplua.fiberMode", EpluaScriptEngineFactory.FIBER_MODE);
        try (EpluaScriptEngine e = (EpluaScriptEngine) f.getScriptEngine()) {
            assertEquals(name(e.engine().fiberMode()), said);
        }
        boolean opens = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("java.base/java.lang=ALL-UNNAMED"));
        if (Runtime.version().feature() < 21) assertEquals("platform", said);
        else assertEquals(opens ? "carried" : "virtual", said);
    }

    @Test
    void followsTheSystemProperty() throws Exception {
        ScriptEngineFactory f = new EpluaScriptEngineFactory();
        System.setProperty("eplua.fibers", "platform");
        try {
            assertEquals("platform", f.getParameter(EpluaScriptEngineFactory.FIBER_MODE));
            try (EpluaScriptEngine e = (EpluaScriptEngine) f.getScriptEngine()) {
                assertEquals(FiberMode.PLATFORM, e.engine().fiberMode());
                assertEquals(6, ((Number) e.eval("local t = spawn(function() sleep(0) return 5 end) return await(t) + 1"))
                        .intValue());
            }
        } finally {
            System.clearProperty("eplua.fibers");
        }
    }
}
