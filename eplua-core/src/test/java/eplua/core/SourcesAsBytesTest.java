package eplua.core;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code eval(byte[])} keeps a source's bytes; {@code eval(String)} keeps its characters (as UTF-8). */
class SourcesAsBytesTest {
    @Test
    void aByteSourceKeepsNonUtf8BytesInStringLiterals() throws Exception {
        byte[] src = "return #'xx', ('xx'):byte(1, -1)".getBytes(StandardCharsets.US_ASCII);
        src[9] = (byte) 0xE1; // the literal now holds the Latin-1 bytes E1 E9
        src[10] = (byte) 0xE9;
        src[16] = (byte) 0xE1;
        src[17] = (byte) 0xE9;
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = e.eval(src, "latin1.lua", null).get(10, TimeUnit.SECONDS);
            assertEquals(2, r.arg1().toint());
            assertEquals(0xE1, r.arg(2).toint());
            assertEquals(0xE9, r.arg(3).toint());
        }
    }

    @Test
    void aStringSourceKeepsItsCharactersAsUtf8() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = e.eval("return #'\u00e1\u00e9', '\u00e1\u00e9'", "utf8.lua").get(10, TimeUnit.SECONDS);
            assertEquals(4, r.arg1().toint());
            assertEquals("\u00e1\u00e9", r.arg(2).tojstring());
        }
    }

    @Test
    void aByteSourceWithASyntaxErrorFailsWithItsChunkAndLine() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            java.util.concurrent.ExecutionException x = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> e.eval("x = 1\nx = = 2".getBytes(StandardCharsets.US_ASCII), "bad.lua", null).get(10, TimeUnit.SECONDS));
            LuaScriptException l = (LuaScriptException) x.getCause();
            assertEquals(2, l.lineNumber(), l.getMessage());
        }
    }
}
