package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Run twice, like LuaJ's ScriptEngineTests: with the engine's own bindings and with a plain SimpleBindings. */
class BindingsAreLuaGlobals {

    abstract static class Cases {
        final ScriptEngineManager manager = new ScriptEngineManager();
        final StringWriter out = new StringWriter();
        final EpluaScriptEngine engine;

        Cases() {
            engine = (EpluaScriptEngine) manager.getEngineByName("eplua");
            engine.getContext().setWriter(out);
        }

        @AfterEach
        void close() {
            engine.close();
        }

        Bindings scope() {
            return engine.getBindings(ScriptContext.ENGINE_SCOPE);
        }

        @Test
        void putIsSeenByLua() throws Exception {
            engine.put("x", 41);
            assertEquals(42, engine.eval("return x + 1"));
            scope().put("s", "héllo 😀");
            assertEquals("héllo 😀!", engine.eval("return s .. '!'"));
            assertEquals(8, engine.eval("return #'😀' + #'é' + 2"), "UTF-8 bytes, no surrogate pairs");
            assertEquals(4, engine.eval("return #s - #'héllo '"));
            engine.put("名前😀", "v");
            assertEquals("v", engine.eval("return _ENV['名前😀']"));
            assertTrue(scope().containsKey("名前😀"));
            assertEquals(List.of("😀", "é"), engine.eval("return {'😀', 'é'}"));
        }

        @Test
        void globalsSetInLuaAreSeenByJava() throws Exception {
            engine.eval("y = 'from lua'; n = 2^40; f = 1.5; t = {1, 2, 3}; m = {a = 1, b = {c = true}}");
            assertEquals("from lua", engine.get("y"));
            assertEquals("from lua", scope().get("y"));
            assertTrue(scope().containsKey("y"));
            assertEquals(1099511627776L, engine.get("n"));
            assertEquals(1.5, engine.get("f"));
            assertEquals(List.of(1, 2, 3), engine.get("t"));
            assertEquals(Map.of("a", 1, "b", Map.of("c", true)), engine.get("m"));
        }

        @Test
        void nilRemoves() throws Exception {
            engine.put("gone", 1);
            engine.eval("gone = nil");
            assertNull(engine.get("gone"));
            assertFalse(scope().containsKey("gone"));
            engine.put("z", 3);
            assertEquals(3, scope().remove("z"));
            assertEquals(true, engine.eval("return z == nil"));
        }

        @Test
        void standardLibraryIsStillThere() throws Exception {
            engine.put("v", "abc");
            assertEquals("ABC", engine.eval("return string.upper(v)"));
            engine.eval("print('p', v)");
            assertEquals("p\tabc\n", out.toString().replace("\r", ""));
        }

        @Test
        void javaObjectsRoundTrip() throws Exception {
            Box box = new Box();
            engine.put("box", box);
            engine.eval("box:add('y') box:add('z')");
            assertEquals(List.of("y", "z"), box.items);
            assertSame(box, engine.eval("return box"));
        }

        @Test
        void luaFunctionsRoundTrip() throws Exception {
            Object f = engine.eval("return function(a) return a * 3 end");
            engine.put("g", f);
            assertEquals(21, engine.eval("return g(7)"));
        }

        @Test
        void globalScopeIsTheFallback() throws Exception {
            manager.put("fromManager", 7);
            assertEquals(8, engine.eval("return fromManager + 1"));
            engine.put("fromManager", 100); // ENGINE_SCOPE wins over GLOBAL_SCOPE
            assertEquals(101, engine.eval("return fromManager + 1"));
            assertEquals(true, engine.eval("return missingEverywhere == nil"));
        }
    }

    /** A plain Java object handed to Lua: Lua calls its public methods. */
    public static final class Box {
        final List<String> items = new java.util.ArrayList<>();

        public void add(String s) {
            items.add(s);
        }
    }

    @Nested
    class WithEngineBindings extends Cases {
        @Test
        void theEngineScopeIsTheGlobalsTable() throws Exception {
            assertTrue(scope() instanceof LuaBindings);
            engine.eval("g1 = 1 g2 = 'two'");
            assertTrue(scope().keySet().containsAll(List.of("g1", "g2", "print", "string")));
            assertFalse(scope().isEmpty());
            assertTrue(scope().toString().contains("globals"));
        }

        @Test
        void createBindingsIsolatesButSeesTheLibrary() throws Exception {
            Bindings b = engine.createBindings();
            b.put("local1", 5);
            assertEquals(6, engine.eval("a = local1 + 1 return a", b));
            assertEquals(6, b.get("a"));
            assertNull(engine.get("a"), "the engine's globals are untouched");
            assertEquals("function", engine.eval("return type(print)", b));
            assertEquals(2, b.size(), "only a and local1: " + b.keySet());
        }

        @Test
        void tableHandedBackKeepsItsIdentity() throws Exception {
            Object t = engine.eval("tbl = {k = 1} return tbl");
            engine.put("again", t);
            assertEquals(true, engine.eval("return again == tbl"));
        }
    }

    @Nested
    class WithSimpleBindings extends Cases {
        WithSimpleBindings() {
            engine.setBindings(new SimpleBindings(), ScriptContext.ENGINE_SCOPE);
        }

        @Test
        void scriptGlobalsAreCopiedBack() throws Exception {
            SimpleBindings b = new SimpleBindings();
            b.put("input", 20);
            b.put("drop", "x");
            assertEquals(21, engine.eval("out = input + 1; drop = nil; return out", b));
            assertEquals(21, b.get("out"));
            assertFalse(b.containsKey("drop"));
            assertNull(engine.get("out"));
        }

        @Test
        void copiedBackEvenWhenTheScriptFails() {
            SimpleBindings b = new SimpleBindings();
            assertThrows(javax.script.ScriptException.class, () -> engine.eval("before = 1; error('x')", b));
            assertEquals(1, b.get("before"));
        }
    }
}
