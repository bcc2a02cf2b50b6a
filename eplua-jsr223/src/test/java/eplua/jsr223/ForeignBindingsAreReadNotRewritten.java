package eplua.jsr223;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.script.Bindings;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * eval(script, bindings) with a host's own Map: any Map is read (immutable ones too), only the globals the script
 * assigns are written back, nothing else is touched.
 */
class ForeignBindingsAreReadNotRewritten {
    private final EpluaScriptEngine engine = Engines.create();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void immutableBindingsAreRead() throws Exception {
        assertEquals(42, engine.eval("return x * 2", new SimpleBindings(Map.of("x", 21))));
        assertEquals("ab", engine.eval("return table.concat({a, b})", new SimpleBindings(Map.of("a", "a", "b", "b"))));
    }

    @Test
    void assigningIntoImmutableBindingsNamesTheVariable() {
        Bindings b = new SimpleBindings(Map.of("x", 21));
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("local t = x y = t + 1", b));
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
        assertFalse(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void valuesTheScriptDidNotTouchStayAsTheyWere() throws Exception {
        Map<String, Object> host = new HashMap<>();
        List<Object> list = new ArrayList<>(List.of(1, 2));
        host.put("list", list);
        host.put("nothing", null);
        host.put("n", 1);
        host.put("gone", "x");
        engine.eval("z = n + #list; gone = nil; local unused = nothing", new SimpleBindings(host));
        assertSame(list, host.get("list"), "not replaced by a copy");
        assertTrue(host.containsKey("nothing"), "a null value is kept");
        assertEquals(1, host.get("n"));
        assertEquals(3, host.get("z"));
        assertFalse(host.containsKey("gone"), "assigning nil removes");
        assertEquals(4, host.size(), "list, nothing, n, z: " + host.keySet());
    }

    @Test
    void assignmentsAreSeenByTheScriptBeforeTheyAreWrittenBack() throws Exception {
        Map<String, Object> host = new HashMap<>(Map.of("x", 1));
        assertEquals(true, engine.eval("x = nil local a = x == nil x = 5 return a and x == 5 and print ~= nil",
                new SimpleBindings(host)));
        assertEquals(5, host.get("x"));
        assertNull(engine.get("x"), "the engine's globals are untouched");
    }

    @Test
    void functionsDefinedInOneEvalAreCalledInTheNext() throws Exception {
        Bindings b = new SimpleBindings();
        engine.eval("function inc(v) return v + 1 end", b);
        assertTrue(b.containsKey("inc"));
        assertEquals(8, engine.eval("return inc(7)", b));
    }
}
