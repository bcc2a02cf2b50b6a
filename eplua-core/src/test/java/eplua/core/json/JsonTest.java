package eplua.core.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

class JsonTest {

    private static LuaTable list(LuaValue... values) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < values.length; i++) {
            t.rawset(i + 1, values[i]);
        }
        return t;
    }

    private static LuaValue s(String v) {
        return LuaValue.valueOf(v);
    }

    private static LuaValue n(double v) {
        return LuaValue.valueOf(v);
    }

    private static String decodeError(String json) {
        return assertThrows(LuaError.class, () -> Json.decode(json)).getMessage();
    }

    private static String encodeError(LuaValue v) {
        return assertThrows(LuaError.class, () -> Json.encode(v)).getMessage();
    }

    private static byte[] bytes(LuaValue v) {
        LuaString str = v.checkstring();
        byte[] b = new byte[str.m_length];
        str.copyInto(0, b, 0, b.length);
        return b;
    }

    // ---------------------------------------------------------------- decoding

    @Test
    void decodeReportsPositionOfBadInput() {
        assertEquals("json.decode: unexpected character 'x' at line 1 column 7 (offset 6)",
                decodeError("[1, 2,x]"));
        String multiLine = decodeError("{\n  \"a\": 1,\n  \"b\" 2\n}");
        assertTrue(multiLine.startsWith("json.decode: unexpected character '2' at line 3 column 7 (offset 18)"),
                multiLine);
    }

    @Test
    void decodeRejectsEmptyInput() {
        assertTrue(decodeError("").contains("empty input at line 1 column 1 (offset 0)"));
        assertTrue(decodeError("  \n ").contains("empty input at line 2 column 2 (offset 4)"));
    }

    @Test
    void decodeRejectsTrailingGarbage() {
        assertEquals("json.decode: unexpected trailing character 'x' at line 1 column 6 (offset 5)",
                decodeError("true x"));
        assertTrue(decodeError("{} {}").contains("trailing character '{'"));
    }

    @Test
    void decodeReportsUnterminatedStringAtItsStart() {
        assertEquals("json.decode: unterminated string starting at line 1 column 6 (offset 5)",
                decodeError("{\"a\":\"abc"));
        assertTrue(decodeError("\"abc\\").contains("unterminated string starting at line 1 column 1"));
    }

    @Test
    void decodeRejectsBadEscapes() {
        assertEquals("json.decode: invalid escape '\\q' at line 1 column 4 (offset 3)",
                decodeError("\"ab\\q\""));
        assertTrue(decodeError("\"\\u12G4\"").contains("invalid unicode escape '\\u12G' at line 1 column 2"));
    }

    @Test
    void decodeRejectsBadNumbers() {
        assertTrue(decodeError("01").contains("invalid number '01' at line 1 column 1"));
        assertTrue(decodeError("[1.]").contains("invalid number '1.' at line 1 column 2"));
        assertTrue(decodeError("-").contains("invalid number '-'"));
        assertTrue(decodeError("1e+").contains("invalid number '1e+'"));
        assertTrue(decodeError("[-a]").contains("invalid number '-'"));
        assertTrue(decodeError("1.2.3").contains("invalid number '1.2.3'"));
    }

    @Test
    void decodeRejectsStructuralErrors() {
        assertTrue(decodeError("[1,]").contains("unexpected character ']' at line 1 column 4"));
        assertTrue(decodeError("{\"a\":1,}").contains("unexpected character '}' at line 1 column 8"));
        assertTrue(decodeError("{a:1}").contains("unexpected character 'a'"));
        assertTrue(decodeError("[1 2]").contains("unexpected character '2'"));
        assertTrue(decodeError("[1,2").contains("unexpected end of input at line 1 column 5 (offset 4)"));
        assertTrue(decodeError("tru").contains("unexpected end of input"));
        assertTrue(decodeError("nul1").contains("unexpected character '1' at line 1 column 4"));
        assertTrue(decodeError("\"a\tb\"").contains("unescaped control character U+0009"));
    }

    @Test
    void decodeProducesLuaTypes() {
        LuaValue v = Json.decode("{\"s\":\"hi\",\"i\":42,\"neg\":-7,\"d\":1.5,\"big\":3000000000,"
                + "\"e\":1e2,\"t\":true,\"f\":false,\"arr\":[10,20,30]}");
        assertEquals("hi", v.get("s").tojstring());
        assertInstanceOf(LuaString.class, v.get("s"));
        assertInstanceOf(LuaInteger.class, v.get("i"));
        assertEquals(42, v.get("i").toint());
        assertEquals(-7, v.get("neg").toint());
        assertInstanceOf(LuaDouble.class, v.get("d"));
        assertEquals(1.5, v.get("d").todouble());
        assertInstanceOf(LuaDouble.class, v.get("big"));
        assertEquals(3000000000.0, v.get("big").todouble());
        assertEquals(100.0, v.get("e").todouble());
        assertSame(LuaValue.TRUE, v.get("t"));
        assertSame(LuaValue.FALSE, v.get("f"));
        LuaValue arr = v.get("arr");
        assertEquals(3, arr.length());
        assertEquals(20, arr.get(2).toint());
        assertEquals(12345678901234567890.0, Json.decode("12345678901234567890").todouble());
        assertEquals(-2147483648, Json.decode("-2147483648").toint());
        assertInstanceOf(LuaInteger.class, Json.decode("-2147483648"));
    }

    @Test
    void nullDecodesToNilAndVanishesFromTables() {
        assertTrue(Json.decode("null").isnil());
        LuaValue obj = Json.decode("{\"a\":null,\"b\":1}");
        assertTrue(obj.get("a").isnil());
        assertEquals("{\"b\":1}", Json.encode(obj));
        LuaValue arr = Json.decode("[1,null,3]");
        assertTrue(arr.get(2).isnil());
        assertEquals(3, arr.get(3).toint());
        assertTrue(Json.decode("{\"a\":1,\"a\":null}").get("a").isnil());
    }

    @Test
    void unicodeEscapesBecomeUtf8() {
        LuaValue v = Json.decode("\"\\u00e9\\u20AC\\ud83d\\ude00\\n\\/\"");
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82, (byte) 0xac,
                (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '\n', '/'}, bytes(v));
        // raw non-ASCII text, including a supplementary character, is stored as UTF-8 too
        assertArrayEquals("é€😀".getBytes(StandardCharsets.UTF_8), bytes(Json.decode("\"é€😀\"")));
        // a lone surrogate is replaced rather than producing invalid UTF-8
        assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd, 'x'},
                bytes(Json.decode("\"\\ud83dx\"")));
        assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd, 'A'},
                bytes(Json.decode("\"\\ud83d\\u0041\"")));
        assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd},
                bytes(Json.decode("\"\\ude00\"")));
    }

    @Test
    void decodeEnforcesDepthLimit() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(Json.decode(ok).istable());
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        String msg = decodeError(tooDeep);
        assertTrue(msg.contains("nesting too deep (limit 1000) at line 1 column 1001"), msg);
        assertTrue(decodeError("{\"a\":".repeat(1001) + "1" + "}".repeat(1001)).contains("nesting too deep"));
    }

    // ---------------------------------------------------------------- encoding

    @Test
    void encodesScalars() {
        assertEquals("null", Json.encode(LuaValue.NIL));
        assertEquals("true", Json.encode(LuaValue.TRUE));
        assertEquals("false", Json.encode(LuaValue.FALSE));
        assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\"", Json.encode(s("a\"b\\c\n\t\r\b\f\u0001\u001f/")));
    }

    @Test
    void integersHaveNoDecimalPoint() {
        assertEquals("3", Json.encode(LuaValue.valueOf(3)));
        assertEquals("3", Json.encode(n(3.0)));
        assertEquals("-12", Json.encode(n(-12.0)));
        assertEquals("10000000000", Json.encode(n(1e10)));
        assertEquals("9007199254740991", Json.encode(n(9007199254740991.0)));
        assertEquals("1.5", Json.encode(n(1.5)));
        assertEquals("0.1", Json.encode(n(0.1)));
        assertEquals(1e300, Json.decode(Json.encode(n(1e300))).todouble());
        assertTrue(Json.encode(n(1e300)).matches("-?[0-9.]+E[0-9]+"));
    }

    @Test
    void nonFiniteNumbersAreErrors() {
        assertTrue(encodeError(n(Double.NaN)).contains("nan"));
        assertTrue(encodeError(n(Double.POSITIVE_INFINITY)).contains("inf"));
        assertTrue(encodeError(list(n(Double.NEGATIVE_INFINITY))).contains("-inf"));
    }

    @Test
    void emptyTableIsObjectUnlessMarkedArray() {
        assertEquals("{}", Json.encode(new LuaTable()));
        LuaTable marked = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.set("__jsontype", "array");
        marked.setmetatable(mt);
        assertEquals("[]", Json.encode(marked));
        // decoded empty arrays carry the marker so they round-trip
        assertEquals("{\"a\":[]}", Json.encode(Json.decode("{\"a\":[]}")));
        assertEquals("[]", Json.encode(Json.decode("[null]")));
        assertEquals("{\n  \"a\": [],\n  \"b\": {}\n}", Json.encodeFormatted(Json.decode("{\"a\":[],\"b\":{}}")));
    }

    @Test
    void jsonTypeObjectForcesObjectForSequences() {
        LuaTable t = list(s("x"), s("y"));
        LuaTable mt = new LuaTable();
        mt.set("__jsontype", "object");
        t.setmetatable(mt);
        assertEquals("{\n  \"1\": \"x\",\n  \"2\": \"y\"\n}", Json.encodeFormatted(t));
    }

    @Test
    void arraysNeedContiguousKeysFromOne() {
        assertEquals("[1,2,3]", Json.encode(list(n(1), n(2), n(3))));
        LuaTable holes = new LuaTable();
        holes.rawset(1, s("a"));
        holes.rawset(3, s("c"));
        assertEquals("{\n  \"1\": \"a\",\n  \"3\": \"c\"\n}", Json.encodeFormatted(holes));
        LuaTable mixed = list(n(1));
        mixed.set("k", s("v"));
        assertEquals("{\n  \"1\": 1,\n  \"k\": \"v\"\n}", Json.encodeFormatted(mixed));
        LuaTable zero = new LuaTable();
        zero.rawset(0, s("z"));
        assertEquals("{\"0\":\"z\"}", Json.encode(zero));
        LuaTable frac = new LuaTable();
        frac.rawset(n(1.5), s("f"));
        assertEquals("{\"1.5\":\"f\"}", Json.encode(frac));
    }

    @Test
    void unsupportedKeysAndValuesAreErrors() {
        LuaTable boolKey = new LuaTable();
        boolKey.rawset(LuaValue.TRUE, n(1));
        assertEquals("json.encode: unsupported key type boolean", encodeError(boolKey));
        LuaTable tableKey = new LuaTable();
        tableKey.rawset(new LuaTable(), n(1));
        assertEquals("json.encode: unsupported key type table", encodeError(tableKey));
        assertThrows(LuaError.class, () -> Json.encodeFormatted(boolKey));

        LuaFunction fn = new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return NIL;
            }
        };
        assertTrue(encodeError(list(fn)).contains("function"));
        assertTrue(encodeError(new LuaUserdata(new Object())).contains("userdata"));
        LuaTable holder = new LuaTable();
        holder.set("co", new org.luaj.vm2.LuaThread(new org.luaj.vm2.Globals(), fn));
        assertTrue(encodeError(holder).contains("thread"));
    }

    @Test
    void nullSentinelEncodesAsNull() {
        assertEquals("null", Json.encode(Json.NULL));
        assertEquals("[1,null,3]", Json.encode(list(n(1), Json.NULL, n(3))));
        LuaTable obj = new LuaTable();
        obj.set("x", Json.NULL);
        assertEquals("{\"x\":null}", Json.encode(obj));
        assertEquals("null", Json.NULL.tojstring());
        assertEquals("userdata", Json.NULL.typename());
    }

    @Test
    void encodeDetectsCycles() {
        LuaTable a = new LuaTable();
        LuaTable b = new LuaTable();
        a.set("b", b);
        b.set("a", a);
        assertEquals("json.encode: cycle detected", encodeError(a));
        LuaTable self = list(n(1));
        self.rawset(2, self);
        assertEquals("json.encode: cycle detected", encodeError(self));
        assertThrows(LuaError.class, () -> Json.encodeFormatted(a));
    }

    @Test
    void sharedButAcyclicTablesAreAllowed() {
        LuaTable shared = list(n(1));
        assertEquals("[[1],[1]]", Json.encode(list(shared, shared)));
    }

    @Test
    void encodeEnforcesDepthLimit() {
        LuaTable root = new LuaTable();
        LuaTable cur = root;
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            LuaTable next = new LuaTable();
            cur.rawset(1, next);
            cur = next;
        }
        assertTrue(Json.encode(root).startsWith("[[[")); // exactly 1000 levels is fine
        cur.rawset(1, new LuaTable());
        assertEquals("json.encode: nesting too deep (limit 1000)", encodeError(root));
    }

    @Test
    void binaryBytesAreEscapedNotThrown() {
        byte[] raw = {'a', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, (byte) 0x80, (byte) 0xc3, 0, (byte) 0xed,
                (byte) 0xa0, (byte) 0x80, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80};
        String json = Json.encode(LuaString.valueOf(raw));
        assertEquals("\"a\\u00ffé\\u0080\\u00c3\\u0000\\u00ed\\u00a0\\u0080😀\"", json);
        // the output itself is always valid JSON
        assertEquals(Json.utf8("a\u00ffé\u0080\u00c3\u0000\u00ed\u00a0\u0080😀"), Json.decode(json));
        // truncated multi-byte sequence at the end of the string
        assertEquals("\"\\u00e2\\u0082\"", Json.encode(LuaString.valueOf(new byte[] {(byte) 0xe2, (byte) 0x82})));
    }

    @Test
    void cesu8SurrogatePairsFromJavaStringsEncodeAsOneCharacter() {
        // LuaValue.valueOf(String) stores U+1F600 as ED A0 BD ED B8 80
        assertEquals("\"x😀\"", Json.encode(LuaValue.valueOf("x😀")));
        // a lone encoded surrogate is still treated as binary
        assertEquals("\"\\u00ed\\u00a0\\u00bd\"",
                Json.encode(LuaString.valueOf(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0xbd})));
    }

    @Test
    void luaStringHelpersUseStandardUtf8() {
        byte[] utf8 = "\"😀é\"".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("😀é".getBytes(StandardCharsets.UTF_8), bytes(Json.decode(LuaString.valueOf(utf8))));
        assertArrayEquals(utf8, bytes(Json.utf8("\"😀é\"")));
        assertTrue(assertThrows(LuaError.class, () -> Json.decode(LuaString.valueOf("[1,"))).getMessage()
                .contains("unexpected end of input at line 1 column 4 (offset 3)"));
    }

    @Test
    void roundTripsNestedTablesAndArrays() {
        String json = "{\"name\":\"eplua\",\"tags\":[\"a\",\"b\",{\"deep\":[1,2.5,[true,false]]}],"
                + "\"meta\":{\"n\":-3,\"s\":\"q\\\"uote\\u00e9\"}}";
        LuaValue v = Json.decode(json);
        assertEquals("eplua", v.get("name").tojstring());
        assertEquals(2.5, v.get("tags").get(3).get("deep").get(2).todouble());
        assertSame(LuaValue.FALSE, v.get("tags").get(3).get("deep").get(3).get(2));
        assertEquals("q\"uoteé", v.get("meta").get("s").tojstring());
        String again = Json.encode(v);
        LuaValue v2 = Json.decode(again);
        assertEquals(Json.encodeFormatted(v), Json.encodeFormatted(v2));
        assertEquals(-3, v2.get("meta").get("n").toint());
        assertTrue(again.contains("\"tags\":[\"a\",\"b\",{\"deep\":[1,2.5,[true,false]]}]"), again);
    }

    @Test
    void formattedOutputIsSortedAndIndented() {
        LuaTable t = new LuaTable();
        t.set("zeta", n(1));
        t.set("alpha", list(n(1), n(2)));
        t.set("mid", new LuaTable());
        LuaTable inner = new LuaTable();
        inner.set("y", LuaValue.TRUE);
        inner.set("b", s("x"));
        t.set("beta", inner);
        String expected = "{\n"
                + "  \"alpha\": [\n"
                + "    1,\n"
                + "    2\n"
                + "  ],\n"
                + "  \"beta\": {\n"
                + "    \"b\": \"x\",\n"
                + "    \"y\": true\n"
                + "  },\n"
                + "  \"mid\": {},\n"
                + "  \"zeta\": 1\n"
                + "}";
        assertEquals(expected, Json.encodeFormatted(t));
        assertEquals("42", Json.encodeFormatted(LuaValue.valueOf(42)));
        // keys sort by UTF-8 bytes, number keys sort as their string form
        LuaTable keys = new LuaTable();
        keys.set("é", n(1));
        keys.set("Z", n(2));
        keys.rawset(10, n(3));
        keys.set("a", n(4));
        assertEquals("{\n  \"10\": 3,\n  \"Z\": 2,\n  \"a\": 4,\n  \"é\": 1\n}", Json.encodeFormatted(keys));
    }

    @Test
    void compactOutputHasNoWhitespace() {
        LuaValue v = Json.decode(" { \"a\" : [ 1 , 2 ] , \"b\" : { \"c\" : null } } ");
        String out = Json.encode(v);
        assertTrue(out.equals("{\"a\":[1,2],\"b\":{}}") || out.equals("{\"b\":{},\"a\":[1,2]}"), out);
    }
}
