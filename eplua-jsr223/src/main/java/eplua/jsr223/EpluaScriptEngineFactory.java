package eplua.jsr223;

import com.google.auto.service.AutoService;
import eplua.core.FiberMode;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code eplua} script engine factory. Every {@link #getScriptEngine()} call makes a new engine with its own Lua
 * state and loop thread.
 *
 * <p>Lookup: by name {@code "eplua"}, by extension {@code "eplua"}, by MIME type {@code application/x-eplua},
 * {@code text/x-lua} or {@code application/x-lua}. The extension {@code "lua"} and the names {@code "lua"},
 * {@code "luaj"} are deliberately not claimed: LuaJ's own factory (always on the classpath, luaj-jse registers it)
 * claims them, and {@code ScriptEngineManager} orders factories by engine name, so LuaJ's ("Luaj") would win anyway.
 */
@AutoService(ScriptEngineFactory.class)
public final class EpluaScriptEngineFactory implements ScriptEngineFactory {
    public static final String NAME = "eplua";
    public static final String ENGINE_VERSION = "0.1.0";
    public static final String LANGUAGE = "lua";
    public static final String LANGUAGE_VERSION = "5.2";
    /**
     * {@link #getParameter} key: the {@link FiberMode} the engines this factory makes now get, as
     * {@code -Deplua.fibers} spells it ("carried", "virtual" or "platform").
     */
    public static final String FIBER_MODE = "eplua.fiberMode";

    /** The standard {@link #getParameter} keys, javax.script's and "THREADING", and their fixed values. */
    private static final Map<String, String> PARAMETERS = Map.of(ScriptEngine.ENGINE, NAME,
            ScriptEngine.ENGINE_VERSION, ENGINE_VERSION, ScriptEngine.NAME, NAME, ScriptEngine.LANGUAGE, LANGUAGE,
            ScriptEngine.LANGUAGE_VERSION, LANGUAGE_VERSION,
            // javax.script defines null as "not thread safe, cannot be used from several threads". Ours can: calls
            // from any thread are marshalled onto the one loop, and the Lua state (globals) is shared, so one thread
            // sees another's effects. That is exactly "MULTITHREADED"; not "THREAD-ISOLATED" (no per-thread
            // bindings) nor "STATELESS" (scripts do change the bindings).
            "THREADING", "MULTITHREADED");
    private static final List<String> NAMES = List.of(NAME);
    private static final List<String> EXTENSIONS = List.of("eplua");
    private static final List<String> MIME_TYPES = List.of("application/x-eplua", "text/x-lua", "application/x-lua");

    @Override
    public String getEngineName() {
        return NAME;
    }

    @Override
    public String getEngineVersion() {
        return ENGINE_VERSION;
    }

    @Override
    public List<String> getExtensions() {
        return EXTENSIONS;
    }

    @Override
    public List<String> getMimeTypes() {
        return MIME_TYPES;
    }

    @Override
    public List<String> getNames() {
        return NAMES;
    }

    @Override
    public String getLanguageName() {
        return LANGUAGE;
    }

    @Override
    public String getLanguageVersion() {
        return LANGUAGE_VERSION;
    }

    @Override
    public Object getParameter(String key) {
        if (FIBER_MODE.equals(key)) return FiberMode.forNewEngines().name().toLowerCase(Locale.ROOT);
        return key == null ? null : PARAMETERS.get(key);
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        StringBuilder sb = new StringBuilder().append(obj).append(':').append(m).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(args[i]);
        }
        return sb.append(')').toString();
    }

    /** {@code io.write(<literal>)}: exactly {@code toDisplay}, no newline added. */
    @Override
    public String getOutputStatement(String toDisplay) {
        return "io.write(" + quote(toDisplay) + ")";
    }

    /** Statements one per line; a {@code ;} after each keeps two statements on one line from being read as a call. */
    @Override
    public String getProgram(String... statements) {
        StringBuilder sb = new StringBuilder();
        for (String s : statements) sb.append(s).append(";\n");
        return sb.toString();
    }

    @Override
    public ScriptEngine getScriptEngine() {
        return new EpluaScriptEngine(this);
    }

    /** A Lua string literal for {@code s}: its UTF-8 bytes, with quotes, backslash and control characters escaped. */
    public static String quote(String s) {
        if (s == null) return "nil";
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    // decimal escapes with three digits, so a following digit is never taken as part of it
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\%03d", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
