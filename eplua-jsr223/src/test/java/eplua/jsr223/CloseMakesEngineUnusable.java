package eplua.jsr223;

import org.junit.jupiter.api.Test;

import javax.script.CompiledScript;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class CloseMakesEngineUnusable {
    @Test
    void afterCloseEveryCallIsIllegalState() throws Exception {
        EpluaScriptEngine engine = Engines.create();
        engine.eval("function f() return 1 end x = 1 setInterval(function() end, 1000)");
        CompiledScript s = engine.compile("return 2");
        engine.close();
        engine.close(); // idempotent
        assertTrue(engine.engine().isClosed());
        assertTrue(engine.engine().awaitIdle(Duration.ofSeconds(1)), "a closed engine is idle");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.eval("return 1"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> engine.invokeFunction("f"));
        assertThrows(IllegalStateException.class, () -> engine.get("x"));
        assertThrows(IllegalStateException.class, () -> engine.put("x", 2));
        assertThrows(IllegalStateException.class, s::eval);
        assertThrows(IllegalStateException.class, () -> engine.compile("return 3"));
        assertThrows(IllegalStateException.class, engine::createBindings);
    }

    @Test
    void closingTheCoreEngineClosesTheScriptEngine() {
        EpluaScriptEngine engine = Engines.create();
        engine.engine().close();
        assertThrows(IllegalStateException.class, () -> engine.eval("return 1"));
    }
}
