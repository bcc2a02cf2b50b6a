package eplua.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar eplua.jar} loads third-party Lua modules from {@code --modules DIR}, {@code -cp PATH} and
 * {@code $EPLUA_MODULES}, with the repository's example module ({@code lines}) as the third party. Runs the real
 * all-in-one jar, so it runs after {@code package} (the surefire execution "jar-tests"); the example module is on no
 * class path of the tests, only on disk.
 */
@Tag("jar")
class AllInOneJarLoadsThirdPartyModules {
    static final Path JAR = Path.of(System.getProperty("eplua.jar", "target/eplua.jar"));
    static final Path MODULE_JAR = Path.of(System.getProperty("eplua.exampleModule", "missing"));
    static final Path MODULE_CLASSES = Path.of(System.getProperty("eplua.exampleModuleClasses", "missing"));
    /** Uses the module: a plain function, and a future completed by a thread of the module's own. */
    static final String USE = "print(lines.count('a,b,c', ','), lines.later_async(10, 'later'):match('^later from'))";
    static final List<String> USED = List.of("3\tlater from");

    @TempDir
    Path dir;

    @BeforeAll
    static void built() {
        assertTrue(Files.isRegularFile(JAR), "no all-in-one jar at " + JAR + ": these tests run after package");
        assertTrue(Files.isRegularFile(MODULE_JAR), "no example module jar at " + MODULE_JAR
                + ": build eplua-example-module first (mvn verify -pl eplua-cli -am)");
        assertTrue(Files.isDirectory(MODULE_CLASSES), MODULE_CLASSES.toString());
    }

    @Test
    void withoutAModulePathTheModuleIsAbsent() {
        Child c = Child.jar(JAR, Map.of(), dir, "-e", "print(lines)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("nil"), c.lines(), "the example module must not be in the jar itself");
    }

    @Test
    void aModuleJarInTheModulesFolderIsLoaded() throws Exception {
        Path mods = Files.createDirectories(dir.resolve("mods"));
        Files.copy(MODULE_JAR, mods.resolve(MODULE_JAR.getFileName()));
        Files.writeString(mods.resolve("notes.txt"), "not a jar: ignored");
        Child c = Child.jar(JAR, Map.of(), dir, "--modules", mods.toString(), "-e", USE);
        assertEquals(0, c.exit, c.toString());
        assertEquals(USED, c.lines(), c.toString());
    }

    @Test
    void classPathTakesJarsAndClassFolders() {
        Child jar = Child.jar(JAR, Map.of(), dir, "-cp", MODULE_JAR.toString(), "-e", USE);
        assertEquals(0, jar.exit, jar.toString());
        assertEquals(USED, jar.lines(), jar.toString());
        Child classes = Child.jar(JAR, Map.of(), dir, "--class-path",
                dir + File.pathSeparator + MODULE_CLASSES, "-e", USE);
        assertEquals(0, classes.exit, classes.toString());
        assertEquals(USED, classes.lines(), classes.toString());
    }

    @Test
    void theEnvironmentVariableAddsModules() {
        Child c = Child.jar(JAR, Map.of("EPLUA_MODULES", MODULE_JAR.toString()), dir, "-e", USE);
        assertEquals(0, c.exit, c.toString());
        assertEquals(USED, c.lines(), c.toString());
    }

    @Test
    void aModulePathThatNamesNothingIsAUsageError() {
        Child folder = Child.jar(JAR, Map.of(), dir, "--modules", dir.resolve("nope").toString(), "-e", "print(1)");
        assertEquals(2, folder.exit, folder.toString());
        assertTrue(folder.err.contains("--modules") && folder.err.contains("nope"), folder.err);
        assertEquals(List.of(), folder.lines());
        Child env = Child.jar(JAR, Map.of("EPLUA_MODULES", dir.resolve("gone.jar").toString()), dir, "-e", "print(1)");
        assertEquals(2, env.exit, env.toString());
        assertTrue(env.err.contains("EPLUA_MODULES") && env.err.contains("gone.jar"), env.err);
    }

    @Test
    void theJarCarriesTheDefinitionFiles() throws Exception {
        Path out = dir.resolve("types");
        Child c = Child.jar(JAR, Map.of(), dir, "--types", out.toString());
        assertEquals(0, c.exit, c.toString());
        TypesOptionWritesTheDefinitionFiles.assertSameFiles(DefinitionFilesCoverTheLuaApi.TYPES, out);
    }
}
