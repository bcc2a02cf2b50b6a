package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code ScriptEngine.close()} runs the engine's shutdown protocol: a SignaKit-style loop sees {@code is_app_running()}
 * turn false and finishes, {@code on_cleanup} handlers run, and what they print reaches the context's writer.
 */
class CloseLetsScriptsFinishTheirWork {
    @Test
    void anIsAppRunningLoopPrintsItsGoodbye() throws Exception {
        StringWriter out = new StringWriter();
        EpluaScriptEngine engine = Engines.create(out, null);
        engine.eval("on_cleanup(function() print('cleanup') end)\n"
                + "spawn(function() while is_app_running() do sleep(0.05) end print('bye') end)");
        engine.close();
        assertEquals("cleanup\nbye\n", out.toString());
    }
}
