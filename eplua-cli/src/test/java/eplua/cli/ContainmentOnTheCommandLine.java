package eplua.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The command line contains what it runs: --sandbox (and -Deplua.profile=sandbox) with its allowances, --run-for stops
 * a runaway library call, an out-of-memory ends the program with status 1 at once, and a script past the task limit
 * gets one error and ends when its tasks are done.
 */
class ContainmentOnTheCommandLine {
    @TempDir
    Path dir;

    private static final String PROBE = "print(pcall(io.open, '/etc/passwd')) print(pcall(luajava.bindClass, 'java.lang.Runtime'))";

    @Test
    void sandboxDeniesFilesProcessesAndHostClasses() {
        Child c = Child.eplua(null, "--sandbox", "-e", PROBE);
        assertEquals(0, c.exit, c.toString());
        List<String> l = c.lines();
        assertTrue(l.get(0).startsWith("false\tdenied: io.open"), l.toString());
        assertTrue(l.get(1).startsWith("false\tdenied: luajava.bindClass"), l.toString());
    }

    @Test
    void theSystemPropertySandboxesToo() {
        Child c = Child.epluaInJvm(List.of("-Deplua.profile=sandbox"), "-e", PROBE);
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.lines().get(0).startsWith("false\tdenied: io.open"), c.toString());
    }

    @Test
    void withoutItScriptsAreTrusted() {
        Child c = Child.eplua(null, "-e", "print(io.open('/nonexistent/eplua') == nil, luajava ~= nil)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("true\ttrue"), c.lines());
    }

    @Test
    void theSandboxSeesOnlyTheVariablesAllowedAndRequiresBesideTheScript() throws Exception {
        Child.script(dir, "helper.lua", "return { word = 'beside' }");
        Path script = Child.script(dir, "main.lua", "print(os.getenv('EPLUA_VISIBLE'), os.getenv('EPLUA_HIDDEN'))\n"
                + "print(require('helper').word)\n"
                + "print(pcall(require, 'nothere'))");
        Child c = Child.epluaWith(Map.of("EPLUA_VISIBLE", "yes", "EPLUA_HIDDEN", "no"), dir,
                "--sandbox", "--allow-env", "EPLUA_VISIBLE", script.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals("yes\tnil", c.lines().get(0));
        assertEquals("beside", c.lines().get(1));
        assertTrue(c.lines().get(2).startsWith("false\tmodule 'nothere' not found"), c.toString());
    }

    @Test
    void badAllowancesAreUsageErrors() {
        assertEquals(2, Child.eplua(null, "--sandbox", "--allow-listen", "http", "-e", "print(1)").exit);
        assertEquals(2, Child.eplua(null, "--sandbox", "--allow-connect", "nohost", "-e", "print(1)").exit);
    }

    @Test
    void runForStopsARunawayPatternOnTime() {
        Child c = Child.eplua(null, "--run-for", "3", "-e",
                "print('start') print(string.find(string.rep('a', 40), string.rep('a*', 20) .. 'b'))");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("start"), c.lines());
        long ms = c.msFromLineToExit("start");
        assertTrue(ms < 3600, "stopped " + ms + " ms after the script started (--run-for 3)");
    }

    @Test
    void outOfMemoryEndsTheProgramWithStatus1AtOnce() {
        Child c = Child.epluaInJvm(List.of("-Xmx64m"), "-e",
                "print(pcall(string.rep, 'xx', 2^26)) print('after') local s = string.rep('x', 2^27) print('never')");
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("false\tout of memory", "after"), c.lines());
        assertTrue(c.err.contains("eplua: out of memory"), c.err);
        assertFalse(c.err.contains("Exception in thread"), c.err);
        long ms = c.msFromLineToExit("after");
        assertTrue(ms < 5000, "exited " + ms + " ms after running out of memory");
    }

    @Test
    void aHeapFilledByATableEndsTheProgramWithStatus1() {
        // the heap fills over a few seconds (the collector works harder as it fills); then the program ends
        Child c = Child.epluaInJvm(List.of("-Xmx64m"), "-e",
                "print('filling') local t = {} for i = 1, 1e9 do t[i] = {i} end print('never')");
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("filling"), c.lines());
        assertTrue(c.err.contains("eplua: out of memory"), c.err);
        assertFalse(c.err.contains("Exception in thread"), c.err);
    }

    @Test
    void pastTheTaskLimitSpawnFailsOnceAndTheProgramEnds() {
        // (the 8,192 of Java 17's default, with 10,000 spawns: TaskLimitRefusesSpawnsNotTimers in eplua-core)
        Child c = Child.epluaInJvm(List.of("-Deplua.maxTasks=1000"), "-e",
                "local fired = 0\n"
                        + "for i = 1, 100 do setTimeout(function() fired = fired + 1 if fired == 100 then print('fired', fired) end end, i % 10) end\n"
                        + "local ok, err = pcall(function() for i = 1, 2000 do spawn(function() sleep(0.5) end) end end)\n"
                        + "print(ok, (err:gsub(' %(.*', '')))");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("false\t(command line):3: budget: tasks", "fired\t100"), c.lines(), c.toString());
        assertFalse(c.err.contains("budget") || c.err.contains("too many"), "nothing reported per spawn or timer: " + c.err);
        assertTrue(c.msFromLastLineToExit() < 5000, c.toString());
    }
}
