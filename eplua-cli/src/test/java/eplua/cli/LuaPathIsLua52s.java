package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The package.path the command computes, from the script and the environment. */
class LuaPathIsLua52s {
    private static final String DEF = "?.lua";

    @Test
    void theScriptsFolderComesFirst() {
        assertEquals("dev/x/?.lua;dev/x/?/init.lua;?.lua", LuaPath.of("dev/x/s.lua", Map.of(), DEF));
        assertEquals("./?.lua;./?/init.lua;?.lua", LuaPath.of("s.lua", Map.of(), DEF));
        assertEquals("/?.lua;/?/init.lua;?.lua", LuaPath.of("/s.lua", Map.of(), DEF));
    }

    @Test
    void stdinAndNoScriptAddNoFolder() {
        assertEquals("?.lua", LuaPath.of(null, Map.of(), DEF));
        assertEquals("?.lua", LuaPath.of("-", Map.of(), DEF));
    }

    @Test
    void luaPathReplacesTheDefaultAndDoubleSemicolonBringsItBack() {
        assertEquals("/a/?.lua", LuaPath.of(null, Map.of("LUA_PATH", "/a/?.lua"), DEF));
        assertEquals("/a/?.lua;?.lua", LuaPath.of(null, Map.of("LUA_PATH", "/a/?.lua;;"), DEF));
        assertEquals("?.lua;/a/?.lua", LuaPath.of(null, Map.of("LUA_PATH", ";;/a/?.lua"), DEF));
        assertEquals("/a/?.lua;?.lua;/b/?.lua", LuaPath.of(null, Map.of("LUA_PATH", "/a/?.lua;;/b/?.lua"), DEF));
    }

    @Test
    void luaPath52WinsEvenWhenEmpty() {
        Map<String, String> env = new HashMap<>();
        env.put("LUA_PATH", "/a/?.lua");
        env.put("LUA_PATH_5_2", "/b/?.lua");
        assertEquals("/b/?.lua", LuaPath.of(null, env, DEF));
        env.put("LUA_PATH_5_2", "");
        assertEquals("", LuaPath.of(null, env, DEF), "set but empty: an empty path, as Lua 5.2");
    }
}
