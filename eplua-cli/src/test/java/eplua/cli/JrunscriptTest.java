package eplua.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jrunscript -cp <jar> -l eplua -f script.lua} runs the timers, then exits by itself. jrunscript calls
 * System.exit(0) right after the script's main chunk, so this needs the engine to hold that exit until it is idle.
 */
class JrunscriptTest {
    @TempDir
    Path dir;

    @Test
    void timersRunUnderJrunscriptAndItExitsRightAfter() throws Exception {
        assumeTrue(Files.isExecutable(Child.jrunscript()), "no jrunscript in " + Child.JAVA_BIN);
        Path s = Child.script(dir, "timers.lua", ScriptsRunThenExitTest.TIMERS);
        Child c = Child.jrunscript("-f", s.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals(ScriptsRunThenExitTest.TIMERS_OUT, c.lines(), c.toString());
        long ms = c.msFromLastLineToExit();
        assertTrue(ms < ScriptsRunThenExitTest.PROMPT_EXIT_MS, "exited " + ms + " ms after the last timer");
    }
}
