package eplua.core.internal.lib;

import eplua.core.testing.DevScripts;
import eplua.core.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The standard library functions eplua writes itself, against C Lua 5.2: dev/tests/core/AREA/golden.lua prints one
 * line per case and its output on eplua must equal expected.txt, which {@code lua5.2} wrote; where {@code lua5.2} is
 * installed, its output today must equal that file too. Areas: {@code format} (several thousand string.format calls:
 * every directive with flags, width and precision, edge values, errors), {@code patterns} (find/match/gmatch/gsub:
 * every class against every byte, sets, captures, %b, %f, back-references, anchors, replacements, every "malformed
 * pattern" error) and {@code sort} (table.sort, the order of equal keys included).
 */
class LibraryMatchesLua52Test {
    private static Path dir(String area) {
        return DevScripts.root().resolve("dev/tests/core").resolve(area);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"format, 5000", "patterns, 2000", "sort, 45"})
    void everyCaseIsWhatCLua52Printed(String area, int minCases) throws Exception {
        GoldenFiles.assertSameLines(GoldenFiles.expected(dir(area), minCases),
                GoldenFiles.onEplua(dir(area), "golden.lua"), "eplua");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"format, 5000", "patterns, 2000", "sort, 45"})
    void theGoldenFileIsWhatLua52PrintsToday(String area, int minCases) throws Exception {
        List<String> lua = GoldenFiles.onLua52(dir(area), "golden.lua");
        assumeTrue(lua != null, "lua5.2 is not installed");
        GoldenFiles.assertSameLines(GoldenFiles.expected(dir(area), minCases), lua, "lua5.2");
    }
}
