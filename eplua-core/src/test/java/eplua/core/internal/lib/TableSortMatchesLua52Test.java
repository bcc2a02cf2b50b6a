package eplua.core.internal.lib;

import eplua.core.testing.DevScripts;
import eplua.core.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * dev/tests/core/sort/golden.lua sorts numbers, strings, records by one key (the order of equal keys shows the
 * algorithm), with and without comparators, bad comparators and bad arguments: eplua's table.sort (Lua 5.2's
 * quicksort, stoppable) must print what C Lua 5.2 printed into expected.txt.
 */
class TableSortMatchesLua52Test {
    private static final Path DIR = DevScripts.root().resolve("dev/tests/core/sort");

    @Test
    void everyCaseSortsAsCLua52Does() throws Exception {
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 45), GoldenFiles.onEplua(DIR, "golden.lua"), "eplua");
    }

    @Test
    void theGoldenFileIsWhatLua52PrintsToday() throws Exception {
        List<String> lua = GoldenFiles.onLua52(DIR, "golden.lua");
        assumeTrue(lua != null, "lua5.2 is not installed");
        GoldenFiles.assertSameLines(GoldenFiles.expected(DIR, 45), lua, "lua5.2");
    }
}
