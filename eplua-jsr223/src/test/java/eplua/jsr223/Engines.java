package eplua.jsr223;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: engines come from the ScriptEngineManager, as a plain javax.script host gets them. */
final class Engines {
    private Engines() {}

    static EpluaScriptEngine create() {
        ScriptEngine e = new ScriptEngineManager().getEngineByName("eplua");
        assertNotNull(e, "no eplua engine");
        assertTrue(e instanceof EpluaScriptEngine, e.getClass().getName());
        return (EpluaScriptEngine) e;
    }

    /** An engine whose context writes into {@code out} (and errors into {@code err}, if given). */
    static EpluaScriptEngine create(StringWriter out, StringWriter err) {
        EpluaScriptEngine e = create();
        e.getContext().setWriter(out);
        if (err != null) e.getContext().setErrorWriter(err);
        return e;
    }
}
