package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** jrunscript ends with System.exit(0) right after the script; pending timers must still run first. */
class JrunscriptWaitsForTimers {
    @Test
    void pendingTimerRunsBeforeExit() throws Exception {
        Path jrunscript = Path.of(System.getProperty("java.home"), "bin", "jrunscript");
        assumeTrue(Files.isExecutable(jrunscript), "no jrunscript in this JDK");
        Path out = Files.createTempFile("jrunscript", ".txt");
        try {
            Process p = new ProcessBuilder(jrunscript.toString(), "-cp", System.getProperty("java.class.path"),
                    "-l", "eplua", "-e", "setTimeout(function() print('later ✓') end, 100) print('now')")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly();
            assertTrue(ended, "jrunscript did not exit");
            // newer JDKs print a deprecation warning for jrunscript itself: not ours to check; and a JVM without the
            // fast fiber mode (Java 17, no --add-opens) logs why, once (eplua.core.FiberMode)
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("Warning: jrunscript is deprecated"))
                    .filter(l -> !l.contains("eplua.core.internal.task.Fibers") && !l.contains("eplua: fiber mode"))
                    .collect(java.util.stream.Collectors.toList());
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            assertEquals(List.of("now", "later ✓"), lines);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
