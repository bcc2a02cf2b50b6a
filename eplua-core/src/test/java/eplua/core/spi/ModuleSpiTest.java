package eplua.core.spi;

import eplua.core.Engine;
import eplua.core.internal.module.ModuleLoader;
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
            public int apiVersion() {
                return API_VERSION;
            }

            @Override
            public void install(ModuleContext context) {}
        };
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> ModuleLoader.order(List.of(a, b), s -> {}));
        assertTrue(x.getMessage().contains("two Lua modules with id 'dup'"), x.getMessage());
    }

    @Test
    void requirementsInstallFirstAndModulesMissingOneAreSkipped() {
        LuaModule base = module("base", 100, Set.of());
        LuaModule top = module("top", -100, Set.of("base"));
        List<String> order = new ArrayList<>();
        for (LuaModule m : ModuleLoader.order(List.of(top, base), s -> {})) order.add(m.id());
        assertEquals(List.of("base", "top"), order, "a requirement installs first whatever its order()");
        List<String> problems = new ArrayList<>();
        assertTrue(ModuleLoader.order(List.of(module("lonely", 0, Set.of("nowhere"))), problems::add).isEmpty());
        assertTrue(problems.get(0).contains("requires module 'nowhere'"), problems.toString());
        assertThrows(IllegalStateException.class, () -> ModuleLoader.order(List.of(module("Bad-Id", 0, Set.of())), s -> {}));
    }

    @Test
    void moduleBuiltForAnotherSpiVersionIsRefusedByName() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
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
            public void install(ModuleContext context) {
                throw new AssertionError("a refused module must not install");
            }
        };
        try (Engine e = Engine.builder().keepJvmAlive(false).errorOutput(err).modules(List.of(future)).build()) {
            assertFalse(e.modules().contains("future"));
            assertEquals(2, e.eval("return 1 + 1", "after.lua").get(5, TimeUnit.SECONDS).toint(1));
        }
        String m = err.toString();
        assertTrue(m.contains("'future'") && m.contains("version " + (LuaModule.API_VERSION + 1))
                && m.contains("supports version " + LuaModule.API_VERSION) && m.contains("refused"), m);
    }

    @Test
    void moduleFailingToInstallIsReportedAndTheEngineStarts() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        LuaModule broken = new LuaModule() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public int apiVersion() {
                return API_VERSION;
            }

            @Override
            public void install(ModuleContext context) {
                context.export("half", org.luaj.vm2.LuaValue.valueOf(1));
                throw new IllegalStateException("no licence key");
            }
        };
        LuaModule dependent = module("needs_broken", 0, Set.of("broken"));
        try (Engine e = Engine.builder().keepJvmAlive(false).errorOutput(err).modules(List.of(broken, dependent))
                .build()) {
            assertFalse(e.modules().contains("broken"));
            assertFalse(e.modules().contains("needs_broken"), "a module requiring a failed one is skipped too");
            assertTrue(e.modules().contains("greeter"), "other modules still install");
            Varargs r = e.eval("return _eplua.broken == nil, greeter.greet('x')", "after.lua").get(5, TimeUnit.SECONDS);
            assertTrue(r.arg(1).toboolean(), "a failed module leaves no half-filled table");
            assertEquals("hello, x", r.arg(2).tojstring());
        }
        assertTrue(err.toString().contains("'broken'") && err.toString().contains("no licence key"), err.toString());
    }

    private static LuaModule module(String id, int order, Set<String> requires) {
        return new LuaModule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public int apiVersion() {
                return API_VERSION;
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
