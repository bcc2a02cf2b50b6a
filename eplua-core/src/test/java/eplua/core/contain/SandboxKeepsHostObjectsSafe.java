package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.Profile;
import eplua.core.convert.LuaConvert;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Host objects in a sandbox: the host chose to expose them, so their own public members work; the ways out of the
 * sandbox that every object has ({@code getClass()} and reflection, {@code wait()}) and every member of classes,
 * class loaders, threads and the runtime are denied. Trusted engines keep them all.
 */
class SandboxKeepsHostObjectsSafe {
    /** A host's object, as a host puts it in the bindings. */
    public static final class Greeter {
        public String name = "greeter";

        public String greet(String who) {
            return "hello, " + who;
        }

        public Class<?> type() {
            return String.class;
        }

        public Thread thread() {
            return Thread.currentThread();
        }

        public ClassLoader loader() {
            return Greeter.class.getClassLoader();
        }
    }

    private static Varargs run(Profile p, String chunk) throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).profile(p).build()) {
            e.call(() -> {
                e.globals().set("host", LuaConvert.toLua(new Greeter()));
                e.globals().set("list", LuaConvert.toLua(new ArrayList<>(List.of("a", "b"))));
                return null;
            });
            return e.eval(chunk, "host.lua").get(10, TimeUnit.SECONDS);
        }
    }

    private static final String PROBE = "local function try(f) local ok, e = pcall(f) return ok and 'ok' or e end\n"
            + "return host:greet('lua'), host.name, list[1], #list,\n"
            + "  try(function() return host:getClass() end), try(function() return host.class end),\n"
            + "  try(function() return list:getClass() end), try(function() return host:wait() end),\n"
            + "  try(function() return host:type():forName('java.lang.Runtime') end),\n"
            + "  try(function() return host:thread():getName() end),\n"
            + "  try(function() return host:loader():loadClass('java.lang.Runtime') end)";

    @Test
    void sandboxedScriptsUseTheHostsObjectsButNotTheirWayOut() throws Exception {
        Varargs r = run(Profile.SANDBOX, PROBE);
        assertEquals("hello, lua", r.arg(1).tojstring());
        assertEquals("greeter", r.arg(2).tojstring());
        assertEquals("a", r.arg(3).tojstring());
        assertEquals(2, r.arg(4).toint());
        String[] what = {"getClass", "class", "getClass", "wait", "forName", "getName", "loadClass"};
        for (int i = 0; i < what.length; i++) {
            String m = r.arg(5 + i).tojstring();
            assertTrue(m.contains("denied: ") && m.contains("." + what[i] + " is not available in the sandbox"),
                    "result " + (5 + i) + ": " + m);
        }
    }

    @Test
    void trustedScriptsReachEverything() throws Exception {
        Varargs r = run(Profile.TRUSTED, "return host:getClass():getName(), host:type():getName(), list:getClass():getName()");
        assertEquals(Greeter.class.getName(), r.arg(1).tojstring());
        assertEquals("java.lang.String", r.arg(2).tojstring());
        assertEquals("java.util.ArrayList", r.arg(3).tojstring());
    }
}
