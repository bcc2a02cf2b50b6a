package eplua.jsr223;

import org.apache.tools.ant.BuildEvent;
import org.apache.tools.ant.DefaultLogger;
import org.apache.tools.ant.MagicNames;
import org.apache.tools.ant.Project;
import org.apache.tools.ant.ProjectHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Apache Ant, in-process, runs {@code src/test/resources/ant/build.xml}: its {@code <script>} and {@code <scriptdef>}
 * tasks find eplua through javax.script ({@code manager="javax"}) and hand it Ant's objects (project, self, path and
 * fileset references, scriptdef attributes) as bindings.
 */
class AntRunsEpluaScripts {
    @TempDir
    Path dir;
    private Project project;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void configure() throws Exception {
        Files.createDirectories(dir.resolve("files"));
        Files.writeString(dir.resolve("files/one.txt"), "1");
        Files.writeString(dir.resolve("files/two.txt"), "2");
        Files.writeString(dir.resolve("files/skip.md"), "no");
        File build = new File(getClass().getResource("/ant/build.xml").toURI());
        project = new Project();
        project.init();
        project.setUserProperty(MagicNames.PROJECT_BASEDIR, dir.toString());
        project.addBuildListener(new DefaultLogger() {
            @Override
            public void messageLogged(BuildEvent event) {
                log.add(event.getMessage());
            }
        });
        ProjectHelper.configureProject(project, build);
    }

    @Test
    void scriptTaskUsesProjectPathAndFileset() {
        project.executeTarget("script");
        assertEquals("hello from userdata", project.getProperty("from.script"));
        String sep = File.pathSeparator;
        assertEquals(dir.resolve("lib/a.jar") + sep + dir.resolve("lib/b.jar"), project.getProperty("cp.string"));
        assertEquals("2", project.getProperty("cp.count"));
        assertEquals(dir.resolve("lib/a.jar").toString(), project.getProperty("cp.first"));
        assertEquals("2", project.getProperty("fs.size"));
        assertEquals("one.txt,two.txt", project.getProperty("fs.names"));
        assertTrue(log.contains("logged from lua"), log.toString());
    }

    @Test
    void compiledScriptdefRunsWithEachCallsBeans() {
        project.executeTarget("compiled");
        assertEquals("4", project.getProperty("count.1"));
        assertEquals("4", project.getProperty("count.2"));
    }

    @Test
    void scriptdefReadsItsAttributes() {
        project.executeTarget("scriptdef");
        assertEquals("hi ant", project.getProperty("greeting.ant"));
        assertEquals("hi lua", project.getProperty("greeting.lua"));
    }
}
