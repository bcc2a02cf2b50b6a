package eplua.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM whose main returned while several unclosed engines had timers pending stays alive exactly until the last of
 * them fired, then exits by itself with status 0; a background timer ({@code system = true}) does not hold it.
 */
class JvmExitsWhenTheLastEngineIsIdle {
    private static final int ENGINES = 6;

    /** fibers: "carried" (the child opens java.lang: on 21+ loop threads carry them) or "plain" (a host's JVM). */
    @ParameterizedTest
    @ValueSource(strings = {"carried", "plain"})
    void childJvmOutlivesMainUntilTheLastTimerThenExits(String fibers) throws Exception {
        String bin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(bin));
        if (fibers.equals("carried")) cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LastEngineIdleMain.class.getName(),
                String.valueOf(ENGINES)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            List<String> lines = new ArrayList<>();
            long lastLineAt = 0;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) { // ends when the child's stdout closes: when it exits
                    lines.add(line.replaceAll(" \\d+$", ""));
                    lastLineAt = System.nanoTime();
                }
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "child JVM did not exit: " + lines);
            long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLineAt);
            assertEquals(0, p.exitValue(), () -> "exit status, output: " + lines);
            assertTrue(lines.contains("main returns"), () -> "main returned: " + lines);
            for (int i = 0; i < ENGINES; i++)
                assertTrue(lines.contains("fired " + i), "timer " + i + " fired: " + lines);
            assertTrue(lines.contains("task woke"), "the sleeping task woke: " + lines);
            assertTrue(lines.contains("chain 1"), () -> "the chain's first timer fired: " + lines);
            // chain 2 is due well over a second after main's timers were set: the JVM outlived main until it fired
            assertEquals("chain 2", lines.get(lines.size() - 1), () -> "the last line: " + lines);
            assertTrue(lines.indexOf("main returns") < lines.size() - 1, () -> "main returned first: " + lines);
            assertEquals(ENGINES + 4, lines.size(), () -> "no other line (no background timer): " + lines);
            assertTrue(exitMs < 2000, "the child exited " + exitMs + " ms after its last timer");
        } finally {
            p.destroyForcibly();
        }
    }
}
