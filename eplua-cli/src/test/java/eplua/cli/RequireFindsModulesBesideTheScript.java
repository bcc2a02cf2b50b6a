package eplua.cli;

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
 * {@code require} finds Lua files in the script's folder first, whatever the working directory, then along
 * {@code LUA_PATH_5_2} or {@code LUA_PATH} as stock Lua 5.2 reads them ({@code ;;} is the default path).
 */
class RequireFindsModulesBesideTheScript {
    @TempDir
    Path dir;

    private Path app() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.createDirectories(app.resolve("pkg"));
        Child.script(app, "helper.lua", "return { name = 'helper beside the script' }");
        Child.script(app.resolve("pkg"), "init.lua", "return { name = 'pkg/init.lua' }");
        Child.script(app, "main.lua", String.join("\n",
                "print(require('helper').name)",
                "print(require('pkg').name)",
                "local ok, m = pcall(require, 'extra')",
                "print(ok and m.name or 'no extra')"));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Child.script(lib, "extra.lua", "return { name = 'extra from LUA_PATH' }");
        return app.resolve("main.lua");
    }

    @Test
    void fromAnotherWorkingDirectoryTheScriptsFolderComesFirst() throws Exception {
        Path main = app();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        // a helper.lua in the working directory must not win over the one beside the script
        Child.script(elsewhere, "helper.lua", "return { name = 'helper in the working directory' }");
        Child c = Child.epluaWith(Map.of(), elsewhere, main.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("helper beside the script", "pkg/init.lua", "no extra"), c.lines(), c.toString());
    }

    @Test
    void aRelativeScriptPathWorksToo() throws Exception {
        app();
        Child c = Child.epluaWith(Map.of(), dir, "app" + File.separator + "main.lua");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("helper beside the script", "pkg/init.lua", "no extra"), c.lines(), c.toString());
    }

    @Test
    void luaPathAddsFoldersAndDoubleSemicolonKeepsTheDefault() throws Exception {
        Path main = app();
        String lib = dir.resolve("lib") + File.separator + "?.lua";
        Child c = Child.epluaWith(Map.of("LUA_PATH", lib + ";;"), dir, main.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of("helper beside the script", "pkg/init.lua", "extra from LUA_PATH"), c.lines(), c.toString());

        Child path = Child.epluaWith(Map.of("LUA_PATH", lib + ";;"), dir, "-e", "print(package.path)");
        assertEquals(List.of(lib + ";?.lua"), path.lines(), path.toString());
    }

    @Test
    void luaPath52WinsOverLuaPath() throws Exception {
        Path main = app();
        String lib = dir.resolve("lib") + File.separator + "?.lua";
        Child c = Child.epluaWith(Map.of("LUA_PATH_5_2", lib, "LUA_PATH", "/nowhere/?.lua"), dir, main.toString());
        assertEquals(0, c.exit, c.toString());
        assertEquals("extra from LUA_PATH", c.lines().get(2), c.toString());
        Child path = Child.epluaWith(Map.of("LUA_PATH_5_2", lib, "LUA_PATH", "/nowhere/?.lua"), dir,
                "-e", "print(package.path)");
        assertEquals(List.of(lib), path.lines(), "no ';;': the default path is left out, as in Lua 5.2");
    }

    @Test
    void anErrorInARequiredFileNamesThatFile() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Child.script(app, "bad.lua", "local t = nil\nreturn t.field");
        Child.script(app, "main.lua", "require('bad')");
        Child c = Child.epluaWith(Map.of(), dir, "app" + File.separator + "main.lua");
        assertEquals(1, c.exit, c.toString());
        assertTrue(c.err.contains("bad.lua:2:"), c.err);
    }
}
