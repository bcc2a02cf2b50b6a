package eplua.cli;

import eplua.core.Engine;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The LuaLS definition files in {@code dev/types} declare exactly the Lua API of a fresh engine with every module
 * (core and net): every global, module table and method eplua adds to LuaJ's standard library, and every standard
 * function it replaces, is declared there; every name declared there exists. Names starting with '_' are internal.
 * When the API grows, the failure lists what to add, where.
 */
class DefinitionFilesCoverTheLuaApi {
    static final Path TYPES = Child.ROOT.resolve("dev/types");

    /**
     * Objects whose methods are API: a Lua expression that makes one, and the class declaring its methods. A new
     * kind of object (a new constructor) needs a line here, or its methods go unchecked.
     */
    static final Map<String, String> OBJECTS = new LinkedHashMap<>();

    static {
        OBJECTS.put("spawn(function() end)", "eplua.Task");
        OBJECTS.put("net.TCPSocket()", "net.TCPSocket");
        OBJECTS.put("net.TCPServer()", "net.TCPServer");
        OBJECTS.put("create_tcp_socket()", "tcp_socket");
        OBJECTS.put("create_tcp_server()", "tcp_server");
        OBJECTS.put("net.UDPSocket()", "net.UDPSocket");
        OBJECTS.put("create_udp_socket()", "udp_socket");
        OBJECTS.put("net.HTTPClient()", "net.HTTPClient");
        OBJECTS.put("net.HTTPServer()", "net.HTTPServer");
        OBJECTS.put("net.WebSocketClient()", "net.WebSocketClient");
        OBJECTS.put("net.WebSocketClientTls()", "net.WebSocketClient");
        OBJECTS.put("net.WebSocketServer()", "net.WebSocketServer");
        OBJECTS.put("net.MQTTClient()", "mqtt.Client");
    }

    /** A server-side WebSocket connection exists only once a client connects: made for real, on 127.0.0.1. */
    static final String WS_CONNECTION = String.join("\n",
            "local srv = net.WebSocketServer()",
            "local port = assert(srv:start('127.0.0.1', 0))",
            "local client = net.WebSocketClient()",
            "local connecting = spawn(function() return client:connect_async('ws://127.0.0.1:' .. port .. '/') end)",
            "local conn = assert(srv:accept_async(10000))",
            "methods('net.WebSocketConnection', conn, 'a connection from net.WebSocketServer():accept_async()')",
            "assert(connecting:await(10000))",
            "client:close(); conn:close(); srv:stop()");

    @Test
    void everyExportedNameIsDeclaredAndEveryDeclaredNameExists() throws Exception {
        LuaDefinitions defs = LuaDefinitions.read(TYPES);
        assertFalse(defs.files.isEmpty(), "no .lua files under " + TYPES);

        Api api;
        // LuaJ's string library sets the JVM-wide string metatable: put back the one eplua engines fixed
        LuaValue stringMeta = LuaString.s_metatable;
        Globals plain;
        try {
            plain = JsePlatform.debugGlobals();
        } finally {
            LuaString.s_metatable = stringMeta;
        }
        try (Engine engine = Engine.builder().name("definitions").keepJvmAlive(false).build()) {
            api = engine.call(() -> Api.of(engine.globals(), plain));
            objectMethods(engine, api);
        }

        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : api.added.entrySet()) {
            if (!defs.declaresGlobal(e.getKey())) missing.add(e.getKey() + "  ->  " + howToDeclare(defs, e.getKey(), e.getValue()));
        }
        for (String name : api.replaced) {
            if (!defs.declaresGlobal(name) && !defs.lua52.contains(name))
                missing.add(name + " (eplua replaces LuaJ's)  ->  `function " + name + "(...) end` in"
                        + " dev/types/eplua/core.lua, or a line `-- lua52: " + name + "` there if its contract is Lua 5.2's");
        }
        for (Map.Entry<String, Set<String>> e : api.methods.entrySet()) {
            String cls = e.getKey();
            if (!defs.classes.containsKey(cls)) {
                missing.add("class " + cls + " (" + api.madeBy.get(cls) + ")  ->  `---@class " + cls
                        + "` with its methods " + e.getValue());
                continue;
            }
            for (String m : e.getValue()) {
                if (!defs.hasMember(cls, m))
                    missing.add("method " + cls + ":" + m + " (on " + api.madeBy.get(cls) + ")  ->  `function X:" + m
                            + "(...) end` after `---@class " + cls + "` / `local X = {}` in dev/types/"
                            + defs.classes.get(cls).file);
            }
        }

        for (Map.Entry<String, String> e : defs.promisedGlobals().entrySet()) {
            String name = e.getKey();
            if (!api.exists(name)) stale.add(name + " (dev/types/" + e.getValue() + ")");
        }
        for (String name : defs.lua52) {
            if (!api.replaced.contains(name))
                stale.add("`-- lua52: " + name + "`: eplua does not replace " + name + " (dev/types/eplua/core.lua)");
        }
        for (String cls : new TreeSet<>(api.methods.keySet())) {
            if (!defs.classes.containsKey(cls)) continue;
            for (String m : defs.allFunctions(cls)) {
                if (!LuaDefinitions.internal(m) && !api.methods.get(cls).contains(m))
                    stale.add("method " + cls + ":" + m + " (dev/types/" + defs.classes.get(cls).file
                            + "): not on " + api.madeBy.get(cls));
            }
        }

        if (!missing.isEmpty() || !stale.isEmpty()) {
            StringBuilder sb = new StringBuilder("dev/types does not match the Lua API of a fresh engine (core + net)");
            if (!missing.isEmpty()) sb.append("\nMissing from dev/types, add:\n  ").append(String.join("\n  ", missing));
            if (!stale.isEmpty())
                sb.append("\nDeclared in dev/types but not in the engine, remove or fix:\n  ").append(String.join("\n  ", stale));
            fail(sb.toString());
        }
        // the walk itself must have seen the API, or the comparison proves nothing
        assertTrue(api.added.keySet().containsAll(List.of("setTimeout", "spawn", "json.encode", "net.TCPSocket", "mqtt.Client.publish")),
                api.added.keySet().toString());
        assertTrue(api.replaced.containsAll(List.of("print", "os.getenv")), api.replaced.toString());
        Set<String> made = new TreeSet<>(OBJECTS.values());
        made.add("net.WebSocketConnection");
        assertEquals(made, api.methods.keySet());
        for (Map.Entry<String, Set<String>> e : api.methods.entrySet())
            assertFalse(e.getValue().isEmpty(), "no methods found on " + api.madeBy.get(e.getKey()));
    }

    /** What to write for a missing global path whose value has Lua type {@code type}. */
    private static String howToDeclare(LuaDefinitions defs, String name, String type) {
        int dot = name.lastIndexOf('.');
        String owner = dot < 0 ? null : defs.classOf(name.substring(0, dot));
        String key = name.substring(dot + 1);
        if (owner != null) {
            String where = " in dev/types/" + defs.classes.get(owner).file + ", class " + owner;
            return type.equals("function") ? "`function " + name + "(...) end`" + where
                    : "`---@field " + key + " " + type + "`" + where;
        }
        String where = " in the file of its area under dev/types/eplua/";
        if (type.equals("function")) return "`function " + name + "(...) end`" + where;
        if (type.equals("table")) return "`---@class " + name + "` then `" + name + " = {}`" + where;
        return "`---@type " + type + "` then `" + name + " = ...`" + where;
    }

    @Test
    void definitionFilesLoadAndRunAsLua() throws Exception {
        LuaDefinitions defs = LuaDefinitions.read(TYPES);
        assertTrue(defs.files.size() >= 5, defs.files.toString());
        // each file runs in a table of its own whose missing names are fresh tables (os, net, ...): the engine's
        // globals stay as they are, and every statement must run
        String runner = String.join("\n",
                "local src, name = ...",
                "local env = setmetatable({}, {__index = function(t, k) local v = {}; rawset(t, k, v); return v end})",
                "local fn, err = load(src, '=' .. name, 't', env)",
                "if not fn then error(err, 0) end",
                "fn()",
                "return true");
        try (Engine engine = Engine.builder().name("definitions-load").keepJvmAlive(false).build()) {
            LuaValue run = engine.call(() -> engine.compile(runner, "runner", null));
            for (Path f : defs.files) {
                byte[] src = Files.readAllBytes(f);
                String name = TYPES.relativize(f).toString();
                Varargs r = engine.spawn(run, LuaValue.varargsOf(LuaValue.valueOf(src), LuaValue.valueOf(name)))
                        .get(20, TimeUnit.SECONDS);
                assertEquals(LuaValue.TRUE, r.arg1(), name);
                assertTrue(new String(src, StandardCharsets.UTF_8).startsWith("---@meta"),
                        name + " must start with ---@meta (for LuaLS, a definition file)");
            }
        }
    }

    /** The methods on the metatables' __index of one object of each kind, made in the engine, into {@code api}. */
    private static void objectMethods(Engine engine, Api api) throws Exception {
        StringBuilder lua = new StringBuilder(String.join("\n",
                "local out = {}",
                "local function methods(class, obj, made_by)",
                "  local names = out[class] or {made_by = made_by}",
                "  out[class] = names",
                "  local mt = getmetatable(obj)",
                "  local index = type(mt) == 'table' and rawget(mt, '__index') or nil",
                "  if type(index) == 'table' then",
                "    for k, v in pairs(index) do",
                "      if type(k) == 'string' and k:sub(1, 1) ~= '_' and type(v) == 'function' then names[#names + 1] = k end",
                "    end",
                "  end",
                "end\n"));
        for (Map.Entry<String, String> e : OBJECTS.entrySet())
            lua.append("methods('").append(e.getValue()).append("', ").append(e.getKey()).append(", '")
                    .append(e.getKey()).append("')\n");
        lua.append(WS_CONNECTION).append("\nreturn out\n");
        Varargs r = engine.eval(lua.toString(), "objects").get(30, TimeUnit.SECONDS);
        engine.call(() -> {
            LuaTable t = (LuaTable) r.arg1();
            for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
                LuaTable names = (LuaTable) t.get(k);
                Set<String> s = new TreeSet<>();
                for (int i = 1; i <= names.length(); i++) s.add(names.get(i).tojstring());
                api.methods.put(k.tojstring(), s);
                api.madeBy.put(k.tojstring(), names.get("made_by").tojstring());
            }
            return null;
        });
    }

    /** What an engine adds to LuaJ's standard library: globals and module members, replaced functions, methods. */
    static final class Api {
        /** Names LuaJ lacks, and the Lua type of each. */
        final Map<String, String> added = new TreeMap<>();
        final Set<String> replaced = new TreeSet<>();
        final Map<String, Set<String>> methods = new TreeMap<>();
        /** How the object of each class was made, for messages. */
        final Map<String, String> madeBy = new TreeMap<>();
        private final LuaTable globals;

        private Api(LuaTable globals) {
            this.globals = globals;
        }

        /**
         * Walks the engine's globals breadth first (so a table is named by its shortest path, {@code string} and not
         * {@code package.loaded.string}), beside LuaJ's own: a name LuaJ lacks is added, a function of another class
         * than LuaJ's is replaced. Tables LuaJ lacks are walked whole; LuaJ's own only for what differs.
         */
        static Api of(LuaTable ours, LuaTable plain) {
            Api api = new Api(ours);
            Map<LuaValue, Boolean> seen = new IdentityHashMap<>();
            seen.put(ours, true);
            ArrayDeque<Object[]> todo = new ArrayDeque<>();
            todo.add(new Object[] {"", ours, plain});
            while (!todo.isEmpty()) {
                Object[] next = todo.poll();
                String path = (String) next[0];
                LuaTable t = (LuaTable) next[1];
                LuaValue p = (LuaValue) next[2];
                for (String key : stringKeys(t)) {
                    if (key.startsWith("_")) continue;
                    String name = path.isEmpty() ? key : path + "." + key;
                    // require's loaders for the modules' own tables (require("json")): no API of their own
                    if (path.equals("package.preload")) continue;
                    LuaValue v = t.rawget(key);
                    LuaValue pv = p.istable() ? p.rawget(key) : LuaValue.NIL;
                    if (pv.isnil()) {
                        api.added.put(name, v.typename());
                    } else if (v.isfunction() && pv.isfunction() && v.getClass() != pv.getClass()) {
                        api.replaced.add(name);
                    }
                    if (v.istable() && seen.put(v, true) == null) todo.add(new Object[] {name, v, pv});
                }
            }
            return api;
        }

        /** Whether a dotted global path names a value in the engine. */
        boolean exists(String path) {
            LuaValue v = globals;
            for (String part : path.split("\\.")) {
                if (!v.istable()) return false;
                v = v.rawget(part);
            }
            return !v.isnil();
        }

        private static List<String> stringKeys(LuaTable t) {
            List<String> keys = new ArrayList<>();
            for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1())
                if (k.type() == LuaValue.TSTRING) keys.add(k.tojstring());
            Collections.sort(keys);
            return keys;
        }
    }
}
