import eplua.core.Engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Runs a Lua file in an eplua engine with every module on the class path; exits when the engine is idle. */
public final class RunLua {
    public static void main(String[] args) throws Exception {
        Path f = Path.of(args[0]);
        try (Engine e = Engine.builder().keepJvmAlive(false).debug(false).build()) {
            e.call(() -> {
                org.luaj.vm2.LuaTable t = new org.luaj.vm2.LuaTable();
                for (int i = 1; i < args.length; i++) t.set(i, args[i]);
                e.globals().set("ARGS", t);
                return null;
            });
            e.join(e.eval(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
            while (!e.awaitIdle(Duration.ofHours(1))) { /* server scripts run until killed */ }
        }
    }
}
