package eplua.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code java -Xmx64m -jar eplua.jar -e ...}: pcall catches an out-of-memory, an uncaught one ends the program with
 * status 1 within 5 s (it used to hang for good). Runs the real all-in-one jar, after package (execution jar-tests).
 */
@Tag("jar")
class AllInOneJarEndsOnOutOfMemory {
    @TempDir
    Path dir;

    @Test
    void anOutOfMemoryEndsTheJarWithStatus1() {
        Path jar = AllInOneJarLoadsThirdPartyModules.JAR;
        assertTrue(Files.isRegularFile(jar), "no all-in-one jar at " + jar + ": this test runs after package");
        Child c = Child.jar(jar, List.of("-Xmx64m"), Map.of(), dir, "-e",
                "print(pcall(string.rep, 'xx', 2^26)) print('after') local s = string.rep('x', 2^27) print('never')");
        assertEquals(1, c.exit, c.toString());
        assertEquals(List.of("false\tout of memory", "after"), c.lines(), c.toString());
        assertTrue(c.msFromLineToExit("after") < 5000, c.toString());
    }
}
