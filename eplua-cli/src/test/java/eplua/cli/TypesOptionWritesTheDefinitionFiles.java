package eplua.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eplua --types DIR} writes the definition files of dev/types, byte for byte, and exits. */
class TypesOptionWritesTheDefinitionFiles {
    @TempDir
    Path dir;

    @Test
    void theFilesOfDevTypesAreWrittenAndTheCommandExits() throws Exception {
        Path out = dir.resolve("types");
        Child c = Child.epluaWith(Map.of(), dir, "--types", out.toString());
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.lines().get(0).contains("\"workspace.library\": [\"" + out + "\"]"), c.toString());
        assertSameFiles(DefinitionFilesCoverTheLuaApi.TYPES, out);
    }

    @Test
    void withAScriptTheScriptRunsAfterwards() throws Exception {
        Path out = dir.resolve("types");
        Child c = Child.epluaWith(Map.of(), dir, "--types", out.toString(), "-e", "print('ran')");
        assertEquals(0, c.exit, c.toString());
        assertEquals("ran", c.lines().get(1), c.toString());
        assertTrue(Files.isRegularFile(out.resolve("eplua/core.lua")));
    }

    /** The same relative file names with the same bytes under both folders. */
    static void assertSameFiles(Path expected, Path actual) throws Exception {
        List<Path> want = files(expected);
        assertTrue(want.size() >= 5, want.toString());
        assertEquals(want, files(actual));
        for (Path f : want)
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)), f.toString());
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }
}
