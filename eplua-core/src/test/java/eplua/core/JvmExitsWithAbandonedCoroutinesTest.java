package eplua.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A JVM ends promptly once its work is done, whatever coroutines a script abandoned (LuaJ's would not). */
class JvmExitsWithAbandonedCoroutinesTest {
    /** fibers: "carried" (the JVM opens java.lang: on 21+ the loop thread carries them) or "shared" (it does not). */
    @ParameterizedTest
    @CsvSource({"idle, carried", "close, carried", "idle, shared", "close, shared"})
    void childJvmExitsWithinTwoSecondsOfItsWork(String mode, String fibers) throws Exception {
        String bin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(bin));
        if (fibers.equals("carried")) cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                AbandonedCoroutinesMain.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            long doneAt = 0;
            StringBuilder all = new StringBuilder();
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("done ")) {
                    doneAt = System.nanoTime();
                    break;
                }
            }
            assertTrue(doneAt != 0, "child never finished its work:\n" + all);
            assertTrue(p.waitFor(2, TimeUnit.SECONDS), "child JVM still running 2 s after its work was done");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - doneAt);
            assertEquals(0, p.exitValue());
            assertTrue(ms < 2000, "exit took " + ms + " ms");
            assertFalse(all.toString().contains("not idle"), all.toString());
        } finally {
            p.destroyForcibly();
        }
    }
}
