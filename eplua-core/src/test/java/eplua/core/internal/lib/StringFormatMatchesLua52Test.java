package eplua.core.internal.lib;

import eplua.core.testing.DevScripts;
import eplua.core.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

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
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 5000), GoldenFiles.onEplua(DIR, "golden.lua"), "eplua");
    }

    @Test
    void theGoldenFileIsWhatLua52PrintsToday() throws Exception {
        List<String> lua = GoldenFiles.onLua52(DIR, "golden.lua");
        assumeTrue(lua != null, "lua5.2 is not installed");
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 5000), lua, "lua5.2");
    }
}
