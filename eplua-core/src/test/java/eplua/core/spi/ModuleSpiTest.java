package eplua.core.spi;

import eplua.core.Engine;
import eplua.core.module.ModuleLoader;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The module SPI: discovery, install order and validation, and exported Java functions. */
class ModuleSpiTest {
    @Test
    void discoveredModuleInstallsAfterCoreAndExportsItsApi() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            List<String> mods = e.modules();
            assertTrue(mods.indexOf("greeter") > mods.indexOf("core"), mods.toString());
            Varargs r = e.eval("local a, b = _eplua.greeter.pair(1, 2)\n"
                    + "local s = _eplua.greeter.shape()\n"
                    + "return greeter.greet('lua'), _eplua.greeter.add(2, 3), _eplua.greeter.bytes_len('\\0\\255\\0'),\n"
                    + "  a, b, #s.list, s.name, greeter.greet_later('soon')", "spi.lua").get(5, TimeUnit.SECONDS);
            assertEquals("hello, lua", r.arg(1).tojstring());
            assertEquals(5, r.arg(2).toint());
            assertEquals(3, r.arg(3).toint(), "byte[] parameters are binary-safe");
            assertEquals(2, r.arg(4).toint());
            assertEquals(1, r.arg(5).toint());
            assertEquals(3, r.arg(6).toint());
            assertEquals("x", r.arg(7).tojstring());
            assertEquals("soon!", r.arg(8).tojstring(), "a CompletableFuture result is awaitable");
        }
    }

    @Test
    void exportedFunctionsReportBadArgumentsAndJavaFailures() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = e.eval("local ok1, e1 = pcall(_eplua.greeter.add, 'x', 1)\n"
                    + "local ok2, e2 = pcall(_eplua.greeter.fail, 'disk on fire')\n"
                    + "local ok3, e3 = pcall(greeter.greet, 42)\n"
                    + "return e1, e2, e3", "args.lua").get(5, TimeUnit.SECONDS);
            assertTrue(r.arg(1).tojstring().contains("bad argument #1 to 'add' (number expected, got string)"),
                    r.arg(1).tojstring());
            assertTrue(r.arg(2).tojstring().contains("fail: disk on fire"), r.arg(2).tojstring());
            assertTrue(r.arg(3).tojstring().contains("bad argument #1 to 'greet'"), r.arg(3).tojstring());
        }
    }

    @Test
    void duplicateIdsAreRejected() {
        LuaModule a = module("dup", 0, Set.of());
        LuaModule b = new LuaModule() {
            @Override
            public String id() {
                return "dup";
            }

            @Override
            public void install(ModuleContext context) {}
        };
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> ModuleLoader.order(List.of(a, b), s -> {}));
        assertTrue(x.getMessage().contains("two Lua modules with id 'dup'"), x.getMessage());
    }

    @Test
    void requirementsInstallFirstAndMissingOnesAreErrors() {
        LuaModule base = module("base", 100, Set.of());
        LuaModule top = module("top", -100, Set.of("base"));
        List<String> order = new ArrayList<>();
        for (LuaModule m : ModuleLoader.order(List.of(top, base), s -> {})) order.add(m.id());
        assertEquals(List.of("base", "top"), order, "a requirement installs first whatever its order()");
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> ModuleLoader.order(List.of(module("lonely", 0, Set.of("nowhere"))), s -> {}));
        assertTrue(x.getMessage().contains("requires module 'nowhere'"), x.getMessage());
        assertThrows(IllegalStateException.class, () -> ModuleLoader.order(List.of(module("Bad-Id", 0, Set.of())), s -> {}));
    }

    @Test
    void otherApiVersionsAreSkippedAndReported() {
        List<String> problems = new ArrayList<>();
        LuaModule future = new LuaModule() {
            @Override
            public String id() {
                return "future";
            }

            @Override
            public int apiVersion() {
                return API_VERSION + 1;
            }

            @Override
            public void install(ModuleContext context) {}
        };
        assertTrue(ModuleLoader.order(List.of(future), problems::add).isEmpty());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("'future'"), problems.get(0));
    }

    private static LuaModule module(String id, int order, Set<String> requires) {
        return new LuaModule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public int order() {
                return order;
            }

            @Override
            public Set<String> requires() {
                return requires;
            }

            @Override
            public void install(ModuleContext context) {}
        };
    }
}
