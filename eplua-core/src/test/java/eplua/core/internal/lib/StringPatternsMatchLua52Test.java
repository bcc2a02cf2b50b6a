package eplua.core.internal.lib;

import eplua.core.testing.DevScripts;
import eplua.core.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * dev/tests/core/patterns/golden.lua runs some two thousand {@code string.find/match/gmatch/gsub} calls (every class
 * against every byte, sets, captures, position captures, %b, %f, back-references, anchors, replacements, limits and
 * every "malformed pattern" error) on eplua's own matcher; the output must equal expected.txt, which C Lua 5.2 wrote.
 */
class StringPatternsMatchLua52Test {
    private static final Path DIR = DevScripts.root().resolve("dev/tests/core/patterns");

    @Test
    void everyCaseMatchesAsCLua52Does() throws Exception {
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 2000), GoldenFiles.onEplua(DIR, "golden.lua"), "eplua");
    }

    @Test
    void theGoldenFileIsWhatLua52PrintsToday() throws Exception {
        List<String> lua = GoldenFiles.onLua52(DIR, "golden.lua");
        assumeTrue(lua != null, "lua5.2 is not installed");
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 2000), lua, "lua5.2");
    }
}
