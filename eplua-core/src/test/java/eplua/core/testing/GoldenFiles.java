package eplua.core.testing;

import eplua.core.Engine;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden-file tests against C Lua 5.2: a Lua script under dev/tests/ prints one line per case; expected.txt beside it
 * holds what {@code lua5.2} printed. The script's output on eplua must equal the file, and so must lua5.2's today
 * where it is installed.
 */
public final class GoldenFiles {
    private GoldenFiles() {}

    /** expected.txt of {@code dir}, as lines; at least {@code minCases} of them. */
    public static List<String> expected(Path dir, int minCases) throws IOException {
        List<String> l = lines(Files.readString(dir.resolve("expected.txt"), StandardCharsets.US_ASCII));
        assertTrue(l.size() >= minCases, "expected.txt holds " + l.size() + " cases");
        return l;
    }

    /** What {@code script} in {@code dir} prints on a fresh eplua engine. */
    public static List<String> onEplua(Path dir, String script) throws Exception {
        StringWriter out = new StringWriter();
        try (Engine e = Engine.builder().output(out).keepJvmAlive(false).build()) {
            e.eval(Files.readAllBytes(dir.resolve(script)), script, null).get(60, TimeUnit.SECONDS);
        }
        return lines(out.toString());
    }

    /** What {@code script} in {@code dir} prints on lua5.2, or null when it is not installed. */
    public static List<String> onLua52(Path dir, String script) throws Exception {
        String lua = onPath("lua5.2");
        if (lua == null) return null;
        Process p = new ProcessBuilder(lua, script).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] outBytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(outBytes, StandardCharsets.UTF_8));
        return lines(new String(outBytes, StandardCharsets.US_ASCII));
    }

    public static List<String> lines(String s) {
        return List.of(s.replace("\r", "").split("\n"));
    }

    /** Fails with every differing case (up to 40), each with its golden and actual output. */
    public static void assertSameLines(List<String> want, List<String> got, String who) {
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < Math.max(want.size(), got.size()) && diffs.size() < 40; i++) {
            String w = i < want.size() ? want.get(i) : "<none>";
            String g = i < got.size() ? got.get(i) : "<none>";
            if (!w.equals(g)) diffs.add("C Lua 5.2: " + w + "\n" + who + ":    " + g);
        }
        if (!diffs.isEmpty()) fail(who + " differs from expected.txt:\n" + String.join("\n", diffs));
    }

    private static String onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
