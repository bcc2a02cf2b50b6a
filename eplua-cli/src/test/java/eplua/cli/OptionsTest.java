package eplua.cli;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {
    @Test
    void optionsComeBeforeTheScriptAndTheRestIsTheScripts() throws Exception {
        Options o = Options.parse("-e", "a=1", "-i", "-e", "b=2", "--run-for", "-3", "x.lua", "-e", "--run-for");
        assertEquals(List.of("a=1", "b=2"), o.chunks);
        assertTrue(o.interactive);
        assertEquals(-3.0, o.runFor);
        assertEquals("x.lua", o.script);
        assertEquals(List.of("-e", "--run-for"), o.args);
    }

    @Test
    void doubleDashEndsOptionsAndDashIsStdin() throws Exception {
        Options o = Options.parse("--", "-weird.lua", "1");
        assertEquals("-weird.lua", o.script);
        assertEquals(List.of("1"), o.args);
        assertEquals("-", Options.parse("-").script);
        Options none = Options.parse("--run-for=0.5");
        assertNull(none.script);
        assertEquals(0.5, none.runFor);
        assertFalse(none.interactive);
    }

    @Test
    void modulePathAndTypesOptions() throws Exception {
        String sep = java.io.File.pathSeparator;
        Options o = Options.parse("--modules", "mods", "-cp", "a.jar" + sep + sep + "classes", "--class-path=b.jar",
                "--modules=more", "--types", "out", "s.lua", "--modules", "x");
        assertEquals(List.of("mods", "more"), o.moduleDirs);
        assertEquals(List.of("a.jar", "classes", "b.jar"), o.classPath);
        assertEquals("out", o.typesDir);
        assertEquals(List.of("--modules", "x"), o.args, "options after the script are the script's");
    }

    @Test
    void badCommandLines() {
        assertThrows(Options.UsageException.class, () -> Options.parse("--modules"));
        assertThrows(Options.UsageException.class, () -> Options.parse("-cp"));
        assertThrows(Options.UsageException.class, () -> Options.parse("--class-path="));
        assertThrows(Options.UsageException.class, () -> Options.parse("--types"));
        assertThrows(Options.UsageException.class, () -> Options.parse("-e"));
        assertThrows(Options.UsageException.class, () -> Options.parse("--run-for"));
        assertThrows(Options.UsageException.class, () -> Options.parse("--run-for", "NaN"));
        assertThrows(Options.UsageException.class, () -> Options.parse("-x"));
    }

    @Test
    void argTableIsLuas() throws Exception {
        LuaTable t = Main.argTable(Options.parse("-e", "x", "s.lua", "a", "b"));
        assertEquals("s.lua", t.get(0).tojstring());
        assertEquals(2, t.length());
        assertEquals("a", t.get(1).tojstring());
        assertEquals("b", t.get(2).tojstring());
        assertEquals("x", t.get(-1).tojstring());
        assertEquals("-e", t.get(-2).tojstring());
        assertEquals("eplua", t.get(-3).tojstring());
        LuaTable none = Main.argTable(Options.parse("-e", "x"));
        assertTrue(none.get(0).isnil());
        assertEquals(0, none.length());
        assertEquals("eplua", none.get(-3).tojstring());
    }
}
