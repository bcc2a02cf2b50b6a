package eplua.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eplua script.lua}: timers in order, then the process exits by itself, soon; -e chunks; the arg table. */
class ScriptsRunThenExitTest {
    /** Exit must follow the last timer closely; generous for a loaded 2-core CI box (typically 40-100 ms). */
    static final long PROMPT_EXIT_MS = 1500;

    static final String TIMERS = String.join("\n",
            "setTimeout(function() print('t300') end, 300)",
            "setTimeout(function() print('t100') end, 100)",
            "setTimeout(function() print('t0') end, 0)",
            "local n = 0",
            "local id; id = setInterval(function() n = n + 1; print('tick ' .. n)",
            "  if n == 3 then clearInterval(id) end end, 60)",
            "print('main')");
    static final List<String> TIMERS_OUT = List.of("main", "t0", "tick 1", "t100", "tick 2", "tick 3", "t300");

    @TempDir
    Path dir;

    @Test
    void timersFireInOrderAndTheProcessExitsRightAfterTheLast() throws Exception {
        Path s = Child.script(dir, "timers.lua", TIMERS);
        Child c = Child.eplua(null, s.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals(TIMERS_OUT, c.lines(), c.toString());
        long ms = c.msFromLastLineToExit();
        assertTrue(ms < PROMPT_EXIT_MS, "exited " + ms + " ms after the last timer");
    }

    @Test
    void repeatedDashEChunksRunInOrderInOneEngine() {
        Child c = Child.eplua(null, "-e", "x = 20", "-e", "print(x + 1)", "-e", "setTimeout(function() print('later', x) end, 10)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("21", "later\t20"), c.lines());
    }

    @Test
    void theScriptSeesItsArgumentsInArg() throws Exception {
        Path s = Child.script(dir, "args.lua",
                "print(arg[0]:match('args%.lua$') ~= nil, #arg, arg[1], arg[2], arg[3], arg[-1], arg[-2])");
        Child c = Child.eplua(null, "-e", "y=1", s.toString(), "one", "two words", "-e");
        assertEquals(0, c.exit, c.toString());
        // options after the script belong to the script; words before it are arg[-1], arg[-2], ...
        assertEquals(List.of("true\t3\tone\ttwo words\t-e\ty=1\t-e"), c.lines());
    }

    @Test
    void anUncaughtErrorInTheMainChunkExitsWith1AndATraceback() throws Exception {
        Path s = Child.script(dir, "boom.lua", String.join("\n",
                "setTimeout(function() print('never') end, 300)",
                "local function deeper() error('boom') end",
                "print('before')",
                "deeper()",
                "print('after')"));
        Child c = Child.eplua(null, s.toString());
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("before"), c.lines(), "the program stops at the error; its timers do not fire");
        assertTrue(c.err.contains("boom.lua:2: boom"), c.err);
        assertTrue(c.err.contains("stack traceback:"), c.err);
        assertTrue(c.err.contains("in function 'deeper'"), c.err);
    }

    @Test
    void anErrorInATimerIsReportedTheLoopGoesOnAndTheExitCodeIs1() throws Exception {
        Path s = Child.script(dir, "cb.lua", String.join("\n",
                "setTimeout(function() error('timer failed') end, 10)",
                "setTimeout(function() print('still running') end, 80)"));
        Child c = Child.eplua(null, s.toString());
        assertEquals(List.of("still running"), c.lines(), c.toString());
        assertTrue(c.err.contains("cb.lua:1: timer failed"), c.err);
        assertTrue(c.err.contains("stack traceback:"), c.err);
        assertEquals(1, c.exit, "a reported callback error makes the exit code 1");
    }

    @Test
    void aSyntaxErrorExitsWith1AndNamesTheFileAndLine() throws Exception {
        Path s = Child.script(dir, "syntax.lua", "local x = 1\nprint(x 2)\n");
        Child c = Child.eplua(null, s.toString());
        assertEquals(1, c.exit, c.toString());
        assertTrue(c.err.contains("syntax.lua:2:"), c.err);
        assertFalse(c.err.contains("[string"), c.err);
    }

    @Test
    void aMissingScriptExitsWith2AndSaysWhy() {
        Child c = Child.eplua(null, "no/such/script.lua");
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.contains("cannot open no/such/script.lua (No such file or directory)"), c.err);
    }

    @Test
    void aBadOptionExitsWith2WithUsage() {
        Child c = Child.eplua(null, "--frobnicate");
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.contains("unrecognized option '--frobnicate'") && c.err.contains("usage: eplua"), c.err);
    }

    @Test
    void helpAndVersion() {
        Child h = Child.eplua(null, "--help");
        assertEquals(0, h.exit, h.toString());
        assertTrue(String.join("\n", h.lines()).contains("--run-for N"), h.toString());
        Child v = Child.eplua(null, "-v");
        assertEquals(0, v.exit, v.toString());
        assertTrue(v.lines().get(0).matches("eplua \\S+ \\(LuaJ 3\\.0\\.1, Lua 5\\.2.*"), v.toString());
    }

    @Test
    void aScriptCanComeFromStdin() {
        Child c = Child.eplua("print('from stdin', 1 + 2)\n", "-");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("from stdin\t3"), c.lines());
    }
}
