package eplua.core.convert;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Java objects handed to Lua: methods, overloads, fields, live maps/lists/arrays, identity, the java table. */
class JavaObjectsAreLuaValues {
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.builder().name("java-objects").keepJvmAlive(false).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Runs {@code lua} with {@code values} as globals {@code a}, {@code b}, ... */
    private static Varargs run(String lua, Object... values) throws Exception {
        engine.call(() -> {
            for (int i = 0; i < values.length; i++)
                engine.globals().set(String.valueOf((char) ('a' + i)), LuaConvert.toLua(values[i]));
            return null;
        });
        try {
            return engine.eval(lua, "t.lua").get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LuaScriptException ? (LuaScriptException) e.getCause() : e;
        }
    }

    private static Object java(String lua, Object... values) throws Exception {
        return LuaConvert.toJava(run(lua, values).arg1());
    }

    /** A plain bean: getters/setters, public fields, overloads, varargs, a static member, a method that throws. */
    public static class Bean {
        public int count;
        public final String id = "b1";
        public static String shared = "s";
        private String name = "n";
        public Runnable kept;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public boolean isReady() {
            return true;
        }

        public String kind(int x) {
            return "int";
        }

        public String kind(double x) {
            return "double";
        }

        public String kind(String x) {
            return "String";
        }

        public String kind(Object x) {
            return "Object";
        }

        public String kind(List<?> x) {
            return "List";
        }

        public String join(String sep, String... parts) {
            return String.join(sep, parts);
        }

        public int sum(int... xs) {
            int s = 0;
            for (int x : xs) s += x;
            return s;
        }

        public void fail(String why) {
            throw new IllegalArgumentException("bad thing: " + why);
        }

        public void keep(Runnable r) {
            kept = r;
        }

        public static String twice(String s) {
            return s + s;
        }

        public String size() {
            return "method";
        }
    }

    @Test
    void pathMethodsResolveThroughThePublicInterface() throws Exception {
        Path p = Path.of("data", "x.txt");
        Varargs r = run("return a:getFileName():toString(), a:getNameCount(), tostring(a:resolve('y')), "
                + "tostring(a.fileName), a, a:startsWith('data')", p);
        assertEquals("x.txt", r.arg1().tojstring());
        assertEquals(2, r.arg(2).toint());
        assertEquals(p.resolve("y").toString(), r.arg(3).tojstring());
        assertEquals("x.txt", r.arg(4).tojstring(), "bean property through getFileName()");
        assertSame(p, LuaConvert.toJava(r.arg(5)), "the same object comes back");
        assertTrue(r.arg(6).toboolean(), "startsWith(String) chosen over startsWith(Path)");
    }

    @Test
    void overloadsFollowTheArgumentTypes() throws Exception {
        Varargs r = run("return a:kind(1), a:kind(1.5), a:kind('s'), a:kind(true), a:kind(b), a:kind({1, 2})",
                new Bean(), new ArrayList<>());
        assertEquals(List.of("int", "double", "String", "Object", "List", "List"),
                List.of(r.arg(1).tojstring(), r.arg(2).tojstring(), r.arg(3).tojstring(), r.arg(4).tojstring(),
                        r.arg(5).tojstring(), r.arg(6).tojstring()));
        StringBuilder sb = new StringBuilder();
        Varargs n = run("a:append(1):append(' '):append(2.5):append(' '):append(true):append(' '):append('x')\n"
                + "return a:length(), a:charAt(0)", sb);
        assertEquals("1 2.5 true x", sb.toString());
        assertEquals(12, n.arg1().toint(), "length() is declared by a package-private superclass");
        assertEquals("1", n.arg(2).tojstring(), "a char is a one-character string");
        Varargs j = run("return a:join(1, 2, 2.5)", new Bean());
        assertEquals("212.5", j.arg1().tojstring(), "numbers become strings where only a String fits, as in Lua");
    }

    @Test
    void publicMethodsOfAHostsAnonymousClassWork() throws Exception {
        Object anonymous = new Object() {
            @SuppressWarnings("unused")
            public String hello(String who) {
                return "hi " + who;
            }
        };
        assertEquals("hi lua", run("return a:hello('lua')", anonymous).arg1().tojstring());
    }

    @Test
    void jdkInternalClassesAreReachedThroughTheirInterfacesOnly() throws Exception {
        Varargs r = run("return a:get(1), a.size ~= nil, b:get('k'), b:entrySet():size()", List.of(1, 2), Map.of("k", "v"));
        assertEquals(2, r.arg(1).toint());
        assertTrue(r.arg(2).toboolean());
        assertEquals("v", r.arg(3).tojstring());
        assertEquals(1, r.arg(4).toint());
    }

    @Test
    void varargsTakeLooseArgumentsOrATable() throws Exception {
        Varargs r = run("return a:join('-', 'x', 'y', 'z'), a:join('-'), a:join('+', {'p', 'q'}), a:sum(1, 2, 3), a:sum()",
                new Bean());
        assertEquals("x-y-z", r.arg(1).tojstring());
        assertEquals("", r.arg(2).tojstring());
        assertEquals("p+q", r.arg(3).tojstring());
        assertEquals(6, r.arg(4).toint());
        assertEquals(0, r.arg(5).toint());
    }

    @Test
    void fieldsAndPropertiesReadAndWrite() throws Exception {
        Bean b = new Bean();
        Varargs r = run("a.count = a.count + 41; a.name = 'renamed'\n"
                + "local ok, err = pcall(function() a.id = 'x' end)\n"
                + "local ok2, err2 = pcall(function() a.nothing = 1 end)\n"
                + "return a.count, a.id, a.name, a.ready, ok, err, ok2, err2, a.shared, a:twice('ab'), a.missing", b);
        assertEquals(41, b.count);
        assertEquals("renamed", b.getName());
        assertEquals(41, r.arg(1).toint());
        assertEquals("b1", r.arg(2).tojstring());
        assertEquals("renamed", r.arg(3).tojstring());
        assertTrue(r.arg(4).toboolean());
        assertFalse(r.arg(5).toboolean());
        assertTrue(r.arg(6).tojstring().contains("final"), r.arg(6).tojstring());
        assertFalse(r.arg(7).toboolean());
        assertTrue(r.arg(8).tojstring().contains("nothing"), r.arg(8).tojstring());
        assertEquals("s", r.arg(9).tojstring(), "static field through the object");
        assertEquals("abab", r.arg(10).tojstring(), "static method through the object");
        assertTrue(r.arg(11).isnil());
    }

    @Test
    void javaExceptionsAreLuaErrorsWithTheirMessage() throws Exception {
        Varargs r = run("local ok, err = pcall(a.fail, a, 'why')\n"
                + "local ok2, err2 = pcall(function() local k = a:kind() return k end)\n"
                + "local ok3, err3 = pcall(function() local k = a.kind('x') return k end)\n"
                + "return ok, err, ok2, err2, err3", new Bean());
        assertFalse(r.arg(1).toboolean());
        assertTrue(r.arg(2).tojstring().contains("bad thing: why"), r.arg(2).tojstring());
        assertTrue(r.arg(2).tojstring().contains("IllegalArgumentException"), r.arg(2).tojstring());
        assertFalse(r.arg(3).toboolean());
        assertTrue(r.arg(4).tojstring().startsWith("t.lua:2:"), r.arg(4).tojstring());
        assertTrue(r.arg(4).tojstring().contains("no overload"), r.arg(4).tojstring());
        assertTrue(r.arg(5).tojstring().contains("obj:kind"), r.arg(5).tojstring());
    }

    @Test
    void identityIsKept() throws Exception {
        Bean b = new Bean();
        Varargs r = run("local t = {} t[a] = 1 return a == b, t[b], rawequal(a, b), a == c, a", b, b, new Bean());
        assertTrue(r.arg(1).toboolean());
        assertEquals(1, r.arg(2).toint());
        assertTrue(r.arg(3).toboolean());
        assertFalse(r.arg(4).toboolean());
        assertSame(b, LuaConvert.toJava(r.arg(5)));
    }

    @Test
    void hashMapIsALiveTable() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("k", "v");
        m.put("size", "data");
        Varargs r = run("a.x = 1; a['with space'] = {1, 2}; a.k = nil\n"
                + "local n = 0 for k, v in pairs(a) do n = n + 1 end\n"
                + "return a.x, #a, n, type(a.size), a:get('size'), a:size(), a:containsKey('x'), a.nope", m);
        assertEquals(1, m.get("x"));
        assertEquals(List.of(1, 2), m.get("with space"));
        assertFalse(m.containsKey("k"), "nil removes");
        assertEquals(1, r.arg(1).toint());
        assertEquals(3, r.arg(2).toint());
        assertEquals(3, r.arg(3).toint());
        assertEquals("function", r.arg(4).tojstring(), "a method name is the method");
        assertEquals("data", r.arg(5).tojstring());
        assertEquals(3, r.arg(6).toint());
        assertTrue(r.arg(7).toboolean());
        assertTrue(r.arg(8).isnil());
    }

    @Test
    void immutableMapReadsAndRefusesWrites() throws Exception {
        Varargs r = run("local ok, err = pcall(function() a.b = 2 end)\n"
                + "return a.a, a:get('a'), #a, ok, err", Map.of("a", 1));
        assertEquals(1, r.arg(1).toint());
        assertEquals(1, r.arg(2).toint());
        assertEquals(1, r.arg(3).toint());
        assertFalse(r.arg(4).toboolean());
        assertTrue(r.arg(5).tojstring().contains("read-only"), r.arg(5).tojstring());
    }

    @Test
    void listIsALiveSequence() throws Exception {
        List<Object> l = new ArrayList<>(List.of("a", "b"));
        Varargs r = run("a[#a + 1] = 'c'; a[1] = 'A'; a:add('d'); a[#a] = nil\n"
                + "local s = '' for i, v in ipairs(a) do s = s .. i .. v end\n"
                + "local ok, err = pcall(function() a[10] = 'x' end)\n"
                + "local ok2, err2 = pcall(function() b[1] = 'x' end)\n"
                + "return #a, a[1], a[4], s, a:size(), ok, err, ok2, err2, b[2], a:get(0)", l, List.of("p", "q"));
        assertEquals(List.of("A", "b", "c"), l);
        assertEquals(3, r.arg(1).toint());
        assertEquals("A", r.arg(2).tojstring());
        assertTrue(r.arg(3).isnil());
        assertEquals("1A2b3c", r.arg(4).tojstring());
        assertEquals(3, r.arg(5).toint());
        assertFalse(r.arg(6).toboolean());
        assertTrue(r.arg(7).tojstring().contains("out of range"), r.arg(7).tojstring());
        assertFalse(r.arg(8).toboolean());
        assertTrue(r.arg(9).tojstring().contains("read-only"), r.arg(9).tojstring());
        assertEquals("q", r.arg(10).tojstring());
        assertEquals("A", r.arg(11).tojstring(), "Java's own get stays 0-based");
    }

    @Test
    void arraysIndexFromOne() throws Exception {
        String[] s = {"x", "y"};
        int[] n = {1, 2, 3};
        Varargs r = run("a[2] = 'Y'; b[1] = b[1] + 10\n"
                + "local ok, err = pcall(function() b[1] = 'no' end)\n"
                + "local ok2, err2 = pcall(function() a[3] = 'z' end)\n"
                + "local t = 0 for _, v in ipairs(b) do t = t + v end\n"
                + "return #a, a.length, a[1], ok, ok2, err2, t", s, n);
        assertArrayEquals(new String[] {"x", "Y"}, s);
        assertArrayEquals(new int[] {11, 2, 3}, n);
        assertEquals(2, r.arg(1).toint());
        assertEquals(2, r.arg(2).toint());
        assertEquals("x", r.arg(3).tojstring());
        assertFalse(r.arg(4).toboolean());
        assertFalse(r.arg(5).toboolean());
        assertTrue(r.arg(6).tojstring().contains("out of range"), r.arg(6).tojstring());
        assertEquals(16, r.arg(7).toint());
    }

    @Test
    void iterablesAndSetsIterate() throws Exception {
        Varargs r = run("local s = '' for i, v in ipairs(a) do s = s .. i .. v end return #a, s",
                new LinkedHashSet<>(List.of("p", "q")));
        assertEquals(2, r.arg(1).toint());
        assertEquals("1p2q", r.arg(2).tojstring());
    }

    @Test
    void luaFunctionsImplementFunctionalInterfaces() throws Exception {
        List<Object> l = new ArrayList<>(List.of(3, 1, 2));
        Varargs r = run("a:sort(function(x, y) return y - x end)\n"
                + "local seen = {} a:forEach(function(x) seen[#seen + 1] = x end)\n"
                + "local n = a:stream():filter(function(x) return x > 1 end):count()\n"
                + "a:removeIf(function(x) return x == 2 end)\n"
                + "return table.concat(seen, ','), n", l);
        assertEquals("3,2,1", r.arg(1).tojstring());
        assertEquals(2, r.arg(2).toint());
        assertEquals(List.of(3, 1), l);
        Bean b = new Bean();
        run("a:keep(function() end)", b);
        assertThrows(IllegalStateException.class, () -> b.kept.run(), "called later, outside a call from Lua");
    }

    @Test
    void javaTableCopiesBothWays() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("list", List.of(1, 2));
        m.put("n", 3);
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        Varargs r = run("local t = java.totable(a)\n"
                + "local m = java.tomap({x = 1, y = {1, 2}})\n"
                + "local l = java.tolist({'p', 'q'})\n"
                + "local s = java.string(b)\n"
                + "local back = java.bytes(s)\n"
                + "return type(t), type(t.list), t.list[2], t.n, m, l, #s, back, #back, back[256], java.totable(l)[2]",
                m, all);
        assertEquals("table", r.arg(1).tojstring());
        assertEquals("table", r.arg(2).tojstring());
        assertEquals(2, r.arg(3).toint());
        assertEquals(3, r.arg(4).toint());
        assertEquals(Map.of("x", 1, "y", List.of(1, 2)), LuaConvert.toJava(r.arg(5)));
        assertTrue(LuaConvert.toJava(r.arg(5)) instanceof LinkedHashMap);
        assertEquals(List.of("p", "q"), LuaConvert.toJava(r.arg(6)));
        assertEquals(256, r.arg(7).toint());
        assertArrayEquals(all, (byte[]) LuaConvert.toJava(r.arg(8)));
        assertEquals(256, r.arg(9).toint());
        assertEquals(-1, r.arg(10).toint(), "Java bytes are signed");
        assertEquals("q", r.arg(11).tojstring());
    }

    @Test
    void pairsAndIpairsKeepLua52Rules() throws Exception {
        Varargs r = run("local t = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, 'one' end end, t, nil end})\n"
                + "local got for k, v in pairs(t) do got = v end\n"
                + "local ok, err = pcall(pairs, 42)\n"
                + "local n = 0 for k, v in pairs({x = 1, y = 2}) do n = n + 1 end\n"
                + "local s = 0 for i, v in ipairs({5, 6, nil, 8}) do s = s + v end\n"
                + "return got, ok, err, n, s");
        assertEquals("one", r.arg(1).tojstring());
        assertFalse(r.arg(2).toboolean());
        assertTrue(r.arg(3).tojstring().contains("table expected"), r.arg(3).tojstring());
        assertEquals(2, r.arg(4).toint());
        assertEquals(11, r.arg(5).toint());
    }

    @Test
    void copyToLuaMakesPlainTables() {
        org.luaj.vm2.LuaValue t = LuaConvert.copyToLua(List.of(Map.of("k", new byte[] {104, 105})));
        assertTrue(t.istable() && t.get(1).istable());
        assertEquals("hi", t.get(1).get("k").tojstring(), "byte[] is a Lua string in a copy");
    }

    @Test
    void javaOfMapsAndListsIsTheSameObject() throws Exception {
        Map<String, Object> m = new HashMap<>();
        List<Object> l = List.of(1);
        assertSame(m, java("return a", m));
        assertSame(l, java("return a", l));
    }
}
