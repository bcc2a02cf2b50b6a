package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.Profile;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ThreeArgFunction;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** ModuleContext.checkConnect/checkListen: no-ops when trusted, the allow-lists when sandboxed. */
class NetChecksFollowTheProfile {
    /** A module exporting the two checks as Lua functions, as a net module calls them before connecting. */
    private static final class Checker implements LuaModule {
        @Override
        public String id() {
            return "checker";
        }

        @Override
        public int apiVersion() {
            return API_VERSION;
        }

        @Override
        public void install(ModuleContext ctx) {
            ctx.export("check", new ThreeArgFunction() {
                @Override
                public LuaValue call(LuaValue what, LuaValue host, LuaValue port) {
                    if (what.tojstring().equals("connect")) ctx.checkConnect(host.tojstring(), port.toint());
                    else ctx.checkListen(host.tojstring(), port.toint());
                    return TRUE;
                }
            });
        }
    }

    private static Engine engine(Engine.Builder b) {
        return b.keepJvmAlive(false).discoverModules(false).modules(List.of(new Checker())).build();
    }

    private static final String PROBE = "local c = _eplua.checker.check\n"
            + "local function try(...) local ok, e = pcall(c, ...) return ok and 'ok' or e end\n"
            + "return try('connect', 'api.example.com', 443), try('connect', 'API.Example.com', 443),\n"
            + "  try('connect', 'x.svc.example.org', 8080), try('connect', 'example.org', 8080),\n"
            + "  try('connect', '127.0.0.1', 8050), try('connect', '127.0.0.1', 8100),\n"
            + "  try('connect', '::1', 22), try('listen', '0.0.0.0', 8080), try('listen', '127.0.0.1', 0),\n"
            + "  try('listen', '127.0.0.1', 9090)";

    @Test
    void trustedEnginesConnectAndListenAnywhere() throws Exception {
        try (Engine e = engine(Engine.builder().profile(Profile.TRUSTED).allowConnect("nothing:1"))) {
            Varargs r = e.eval(PROBE, "probe.lua").get(5, TimeUnit.SECONDS);
            for (int i = 1; i <= r.narg(); i++) assertEquals("ok", r.arg(i).tojstring(), "result " + i);
        }
    }

    @Test
    void sandboxedEnginesConnectAndListenOnlyWhereAllowed() throws Exception {
        try (Engine e = engine(Engine.builder().profile(Profile.SANDBOX)
                .allowConnect("api.example.com:443", "*.example.org:*", "127.0.0.1:8000-8099", "[::1]:22")
                .allowListen(8080, 0))) {
            Varargs r = e.eval(PROBE, "probe.lua").get(5, TimeUnit.SECONDS);
            assertEquals("ok", r.arg(1).tojstring());
            assertEquals("ok", r.arg(2).tojstring(), "host names compare case-insensitively");
            assertEquals("ok", r.arg(3).tojstring());
            assertTrue(r.arg(4).tojstring().contains("denied: connect to example.org:8080"),
                    "'*.example.org' covers names under it, not itself: " + r.arg(4));
            assertEquals("ok", r.arg(5).tojstring());
            assertTrue(r.arg(6).tojstring().contains("denied: connect to 127.0.0.1:8100"), r.arg(6).tojstring());
            assertEquals("ok", r.arg(7).tojstring(), "IPv6 in brackets");
            assertEquals("ok", r.arg(8).tojstring());
            assertEquals("ok", r.arg(9).tojstring(), "port 0 (any free port) when allowed");
            assertTrue(r.arg(10).tojstring().contains("denied: listen on 127.0.0.1:9090"), r.arg(10).tojstring());
        }
    }

    @Test
    void aSandboxWithNoAllowListReachesNothing() throws Exception {
        try (Engine e = engine(Engine.builder().profile(Profile.SANDBOX))) {
            Varargs r = e.eval(PROBE, "probe.lua").get(5, TimeUnit.SECONDS);
            for (int i = 1; i <= r.narg(); i++)
                assertTrue(r.arg(i).tojstring().startsWith("denied: "),
                        "result " + i + ": " + r.arg(i));
        }
    }

    @Test
    void badPatternsAreRefusedAtBuild() {
        assertThrows(IllegalArgumentException.class, () -> engine(Engine.builder().allowConnect("no-port")));
        assertThrows(IllegalArgumentException.class, () -> engine(Engine.builder().allowConnect("::1:80")));
        assertThrows(IllegalArgumentException.class, () -> engine(Engine.builder().allowListen(70000)));
    }
}
