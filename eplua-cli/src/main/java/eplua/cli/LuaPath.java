package eplua.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code package.path} of the command: the script's folder first ({@code DIR/?.lua;DIR/?/init.lua}), so a
 * script finds the modules beside it from any working directory; then {@code LUA_PATH_5_2}, else {@code LUA_PATH},
 * as stock Lua 5.2 reads them ({@code ;;} stands for the default path); else the default path.
 */
final class LuaPath {
    private LuaPath() {}

    /**
     * @param script the script as given on the command line, or null (stdin, -e, REPL: no folder is added)
     * @param env the environment
     * @param defaultPath the engine's own {@code package.path}
     */
    static String of(String script, Map<String, String> env, String defaultPath) {
        List<String> templates = new ArrayList<>();
        if (script != null && !script.equals("-")) {
            Path parent = Path.of(script).getParent();
            String dir = parent == null ? "." : parent.toString();
            String sep = dir.endsWith("/") || dir.endsWith(File.separator) ? "" : "/";
            templates.add(dir + sep + "?.lua");
            templates.add(dir + sep + "?/init.lua");
        }
        String fromEnv = env.containsKey("LUA_PATH_5_2") ? env.get("LUA_PATH_5_2") : env.get("LUA_PATH");
        String rest = fromEnv == null ? defaultPath : fromEnv.replace(";;", ";\u0001;").replace("\u0001", defaultPath);
        for (String t : rest.split(";")) {
            // an empty template would name "" (the class path's root folder, to LuaJ's resource finder)
            if (!t.isEmpty()) templates.add(t);
        }
        return String.join(";", templates);
    }
}
