package eplua.core.contain;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real out-of-memory in a task, in a JVM with a 64 MiB heap ({@link OutOfMemoryMain}): the eval fails with
 * "out of memory" (nothing hangs), pcall catches it, the engine and a new one go on working.
 */
class OutOfMemoryInAChildJvm {
    @Test
    void aTaskOutOfMemoryFailsItsEvalAndTheJvmGoesOn() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryMain.class.getName()).redirectErrorStream(true).start();
        try {
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ended, "the child hangs:\n" + out);
            assertEquals(0, p.exitValue(), out);
            List<String> lines = out.lines().filter(l -> !l.startsWith("INFO") && !l.contains("Fibers logOnce")).toList();
            assertTrue(lines.contains("huge: out of memory"), out);
            assertTrue(lines.contains("grow: out of memory"), out);
            assertTrue(lines.contains("pcall: false out of memory"), out);
            assertTrue(lines.contains("same engine: 2"), out);
            assertTrue(lines.contains("new engine: 4"), out);
            assertTrue(lines.contains("done"), out);
            assertFalse(out.contains("Exception in thread"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
