package eplua.core.internal.lib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** os.getenv falls back to a .env file: KEY=VALUE lines, comments, quotes, "export" prefixes. */
class DotEnvIsReadAsFallback {
    @Test
    void parsesTheUsualDotEnvForms(@TempDir Path dir) throws Exception {
        Path f = dir.resolve(".env");
        Files.writeString(f, "# comment\nA=1\nexport B = two \nC=\"quoted # not a comment\"\nD='single'\nE=x # trailing\nbroken line\n");
        Map<String, String> env = CoreModule.readDotEnv(f);
        assertEquals("1", env.get("A"));
        assertEquals("two", env.get("B"));
        assertEquals("quoted # not a comment", env.get("C"));
        assertEquals("single", env.get("D"));
        assertEquals("x", env.get("E"));
        assertEquals(5, env.size());
        assertTrue(CoreModule.readDotEnv(dir.resolve("missing")).isEmpty());
    }
}
