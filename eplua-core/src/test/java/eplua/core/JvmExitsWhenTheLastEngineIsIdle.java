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
            assertEquals("main returns", lines.get(0), () -> "main returned before any timer fired: " + lines);
            List<String> fired = lines.subList(1, lines.size());
            for (int i = 0; i < ENGINES; i++)
                assertTrue(fired.contains("fired " + i), "timer " + i + " fired after main returned: " + lines);
            assertTrue(fired.contains("task woke"), "the sleeping task woke after main returned: " + lines);
            assertEquals(List.of("chain 1", "chain 2"), fired.subList(fired.size() - 2, fired.size()),
                    () -> "the chained timers fire last, and the JVM waits for the second: " + lines);
            assertEquals(ENGINES + 3, fired.size(), () -> "no other line (no background timer): " + lines);
            assertTrue(exitMs < 2000, "the child exited " + exitMs + " ms after its last timer");
        } finally {
            p.destroyForcibly();
        }
    }
}
