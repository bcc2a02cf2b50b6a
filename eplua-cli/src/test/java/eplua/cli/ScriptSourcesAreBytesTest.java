package eplua.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts from files and stdin are loaded as bytes, as lua and LuaJ's lua command load them: the Latin-1 bytes E1 E9
 * (not UTF-8) inside a string literal stay two bytes, where decoding the file as UTF-8 made them six.
 */
class ScriptSourcesAreBytesTest {
    /** {@code local s = "<E1><E9>"} and a line printing its length and bytes. */
    static final byte[] LATIN1_LITERAL = bytes("local s = \"", new byte[] {(byte) 0xE1, (byte) 0xE9},
            "\"\nprint(#s, s:byte(1, -1))\n");
    static final List<String> TWO_BYTES = List.of("2\t225\t233");

    @TempDir
    Path dir;

    @Test
    void aScriptFileKeepsTheBytesOfItsStringLiterals() throws Exception {
        Path f = Files.write(dir.resolve("latin1.lua"), LATIN1_LITERAL);
        Child c = Child.eplua(null, f.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals(TWO_BYTES, c.lines(), c.toString());
    }

    @Test
    void aScriptOnStdinKeepsTheBytesOfItsStringLiterals() {
        Child dash = Child.epluaWithStdinBytes(LATIN1_LITERAL, "-");
        assertEquals(0, dash.exit, dash.toString());
        assertEquals(TWO_BYTES, dash.lines(), dash.toString());
        Child piped = Child.epluaWithStdinBytes(LATIN1_LITERAL); // no script and stdin not a terminal: stdin
        assertEquals(0, piped.exit, piped.toString());
        assertEquals(TWO_BYTES, piped.lines(), piped.toString());
    }

    @Test
    void aByteOrderMarkAndAShebangLineAreSkippedAndLinesKeepTheirNumbers() throws Exception {
        byte[] src = bytes("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "#!/usr/bin/env eplua\nprint('é', #'é')\nerror('line 3')\n");
        Path f = Files.write(dir.resolve("bom.lua"), src);
        Child c = Child.eplua(null, f.toString());
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("é\t2"), c.lines(), "UTF-8 text stays UTF-8: " + c);
        assertTrue(c.err.contains("bom.lua:3: line 3"), c.err);
    }

    @Test
    void errorsOfAStdinScriptNameStdin() {
        Child c = Child.epluaWithStdinBytes("print('x')\nlocal y = nil .. 1\n".getBytes(StandardCharsets.UTF_8), "-");
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("x"), c.lines());
        assertTrue(c.err.contains("stdin:2:"), c.err);
    }

    static byte[] bytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(raw);
        b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
