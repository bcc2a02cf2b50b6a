package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.Bindings;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Java values a host puts into the bindings reach Lua as themselves: methods and table syntax work on them, and
 * they come back as the same objects, whether the bindings are the engine's own, made by createBindings(), or a
 * plain SimpleBindings.
 */
class JavaValuesInBindings {
    private final EpluaScriptEngine engine = Engines.create();

    @AfterEach
    void close() {
        engine.close();
    }

    /** A plain bean: getters and setters, a public field. */
    public static class Person {
        public int age = 41;
        private String name = "Ada";

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String greet(String other) {
            return "hello " + other + " from " + name;
        }
    }

    private static final String SCRIPT = String.join("\n",
            "assert(p:getFileName():toString() == 'x.txt')",
            "assert(tostring(p) == 'data' .. p:getFileSystem():getSeparator() .. 'x.txt')",
            "hm.added = #hm + 1                -- table syntax writes through",
            "assert(hm:get('k') == 'v' and hm.k == 'v')",
            "al[#al + 1] = 'c'; al:add('d')",
            "assert(#al == 4 and al[1] == 'a' and al:get(3) == 'd')",
            "assert(im.x == 21 and im:get('x') == 21 and #im == 1)",
            "assert(not pcall(function() im.y = 1 end))",
            "assert(il[2] == 'q' and il:size() == 2 and #il == 2)",
            "bean.age = bean.age + 1",
            "bean.name = bean:getName() .. '!'",
            "assert(bean:greet('Lua') == 'hello Lua from Ada!')",
            "local n = 0 for k, v in pairs(hm) do n = n + 1 end",
            "assert(n == 2)",
            "same = {p, hm, al, im, il, bean}",
            "p2, hm2, bean2 = p, hm, bean",
            "return p");

    private Map<String, Object> values() {
        Map<String, Object> hm = new HashMap<>();
        hm.put("k", "v");
        Map<String, Object> v = new HashMap<>();
        v.put("p", Path.of("data", "x.txt"));
        v.put("hm", hm);
        v.put("al", new ArrayList<>(List.of("a", "b")));
        v.put("im", Map.of("x", 21));
        v.put("il", List.of("p", "q"));
        v.put("bean", new Person());
        return v;
    }

    private static void check(Map<String, Object> v, Object result, Bindings after) {
        assertSame(v.get("p"), result, "a returned Path is the same object");
        @SuppressWarnings("unchecked")
        Map<String, Object> hm = (Map<String, Object>) v.get("hm");
        assertEquals(Map.of("k", "v", "added", 2), hm);
        assertEquals(List.of("a", "b", "c", "d"), v.get("al"));
        Person bean = (Person) v.get("bean");
        assertEquals(42, bean.age);
        assertEquals("Ada!", bean.getName());
        assertSame(v.get("p"), after.get("p2"));
        assertSame(hm, after.get("hm2"));
        assertSame(bean, after.get("bean2"));
        List<?> same = (List<?>) after.get("same");
        for (int i = 0; i < same.size(); i++)
            assertSame(v.get(List.of("p", "hm", "al", "im", "il", "bean").get(i)), same.get(i), "element " + i);
        for (String k : List.of("p", "hm", "al", "im", "il", "bean")) assertSame(v.get(k), after.get(k), k);
    }

    @Test
    void inTheEngineBindings() throws Exception {
        Map<String, Object> v = values();
        v.forEach(engine::put);
        check(v, engine.eval(SCRIPT), engine.getBindings(javax.script.ScriptContext.ENGINE_SCOPE));
        assertSame(v.get("p"), engine.get("p"));
    }

    @Test
    void inCreatedBindings() throws Exception {
        Map<String, Object> v = values();
        Bindings b = engine.createBindings();
        b.putAll(v);
        check(v, engine.eval(SCRIPT, b), b);
    }

    @Test
    void inSimpleBindings() throws Exception {
        Map<String, Object> v = values();
        Bindings b = new SimpleBindings(new HashMap<>(v));
        check(v, engine.eval(SCRIPT, b), b);
    }

    @Test
    void aPathPutIntoTheEngineIsOneObject() throws Exception {
        Path p = Path.of("data", "x.txt");
        engine.put("p", p); // each element of a Path is an Iterable Path: once copied until the stack overflowed
        assertEquals("x.txt", engine.eval("return p:getFileName():toString()"));
        assertSame(p, engine.get("p"));
    }

    @Test
    void javaErrorsAreScriptExceptionsWithTheirMessage() {
        engine.put("l", List.of());
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("local v = l:get(5) return v"));
        assertTrue(e.getMessage().contains("IndexOutOfBoundsException"), e.getMessage());
        assertEquals(1, e.getLineNumber());
    }
}
