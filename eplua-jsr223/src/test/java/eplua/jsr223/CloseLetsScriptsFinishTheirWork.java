package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.Set;

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
                + "spawn(function() print('started') while is_app_running() do sleep(0.05) end print('bye') end)");
        while (!out.toString().contains("started")) Thread.sleep(1);
        engine.close();
        List<String> lines = List.of(out.toString().split("\n"));
        assertEquals(3, lines.size(), lines.toString());
        // the handler and the loop's last turn run side by side
        assertEquals(Set.of("cleanup", "bye"), Set.copyOf(lines.subList(1, 3)), lines.toString());
    }
}
