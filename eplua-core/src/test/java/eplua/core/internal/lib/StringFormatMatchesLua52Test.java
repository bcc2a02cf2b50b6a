package eplua.core.internal.lib;

import eplua.core.Engine;
import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * dev/tests/core/format/golden.lua runs several thousand {@code string.format} calls (every directive with flags,
 * width and precision; edge values; errors). Its output on eplua must equal expected.txt, which C Lua 5.2 wrote;
 * where {@code lua5.2} is installed, its output today must equal that file too.
 */
class StringFormatMatchesLua52Test {
    private static final Path DIR = DevScripts.root().resolve("dev/tests/core/format");

    @Test
    void everyCaseFormatsAsCLua52Does() throws Exception {
        StringWriter out = new StringWriter();
        try (Engine e = Engine.builder().output(out).keepJvmAlive(false).build()) {
            e.eval(Files.readAllBytes(DIR.resolve("golden.lua")), "golden.lua", null).get(60, TimeUnit.SECONDS);
        }
        assertSameLines(expected(), lines(out.toString()), "eplua");
    }

    @Test
    void theGoldenFileIsWhatLua52PrintsToday() throws Exception {
        String lua = onPath("lua5.2");
        assumeTrue(lua != null, "lua5.2 is not installed");
        Process p = new ProcessBuilder(lua, "golden.lua").directory(DIR.toFile()).redirectErrorStream(true).start();
        byte[] outBytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(outBytes, StandardCharsets.UTF_8));
        assertSameLines(expected(), lines(new String(outBytes, StandardCharsets.US_ASCII)), "lua5.2");
    }

    private static List<String> expected() throws IOException {
        List<String> l = lines(Files.readString(DIR.resolve("expected.txt"), StandardCharsets.US_ASCII));
        assertTrue(l.size() > 5000, "expected.txt holds " + l.size() + " cases");
        return l;
    }

    private static List<String> lines(String s) {
        return List.of(s.replace("\r", "").split("\n"));
    }

    /** Fails with every differing case (up to 40), each with its golden and actual output. */
    private static void assertSameLines(List<String> want, List<String> got, String who) {
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
