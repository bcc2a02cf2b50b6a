package eplua.jsr223;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import eplua.core.Profile;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A javax.script engine over one {@link Engine}: its own Lua state and loop thread. ENGINE_SCOPE bindings are the Lua
 * globals; names missing there are looked up in the current context's GLOBAL_SCOPE. Calls may come from any thread:
 * they are marshalled onto the loop and the caller waits; a call made on the loop (Lua calling Java calling back)
 * runs inline. A chunk given to {@code eval} runs as a task, so it may await; timers and tasks it leaves behind keep
 * running after {@code eval} returns, until {@link #close()}.
 *
 * <p>Errors: syntax and runtime errors are {@link ScriptException}s with the chunk name ({@link ScriptEngine#FILENAME},
 * default {@code "<eval>"}) and line, caused by an {@link LuaScriptException} that has the Lua traceback. After
 * {@link #close()}, every call throws {@link IllegalStateException}.
 */
public class EpluaScriptEngine extends AbstractScriptEngine implements Compilable, Invocable, AutoCloseable {
    /** Chunk name when the context has no {@link ScriptEngine#FILENAME}. */
    public static final String DEFAULT_FILENAME = "<eval>";
    /**
     * The attribute that chooses the engine's {@link Profile}: {@code "sandbox"} (or {@link Profile#SANDBOX}), set in
     * the engine's or the global bindings before the first eval, compile or invoke. Later it is an
     * {@link IllegalStateException}; a sandboxed engine stays one.
     */
    public static final String PROFILE = "eplua.profile";
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final EpluaScriptEngineFactory factory;
    private final Engine engine;
    private final Marshal marshal = new Marshal();
    private final LuaBindings globalsBindings;
    /** The context of the latest call: where GLOBAL_SCOPE lookups from Lua go. */
    private volatile ScriptContext active;
    private volatile boolean closed;
    /** Sandboxed: no profile attribute can change anything any more. */
    private volatile boolean sandboxed;

    /** A new engine with its own loop; prefer {@code new ScriptEngineManager().getEngineByName("eplua")}. */
    public EpluaScriptEngine() {
        this(new EpluaScriptEngineFactory());
    }

    EpluaScriptEngine(EpluaScriptEngineFactory factory) {
        this(factory, Engine.builder().name("eplua-jsr223-" + COUNT.incrementAndGet()));
    }

    /** An engine built from {@code builder} (its writers are replaced by the context's at every call). */
    public EpluaScriptEngine(EpluaScriptEngineFactory factory, Engine.Builder builder) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.engine = builder.build();
        this.sandboxed = engine.profile() == Profile.SANDBOX;
        ScriptContext ctx = this.context;
        // SimpleScriptContext writes in the platform charset; Lua text is UTF-8 (and so is Java 18+'s default)
        ctx.setWriter(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        ctx.setErrorWriter(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        ctx.setReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            this.globalsBindings = engine.call(() -> {
                Globals g = engine.globals();
                installGlobalScopeFallback(g);
                return new LuaBindings(this, g);
            });
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        ctx.setBindings(globalsBindings, ScriptContext.ENGINE_SCOPE);
        this.active = ctx;
        applyStreams(ctx);
        ExitWait.register(this);
    }

    /** The underlying engine, e.g. for {@code engine().awaitIdle(...)}; closing it closes this script engine. */
    public Engine engine() {
        return engine;
    }

    Marshal marshal() {
        return marshal;
    }

    // ---- context ---------------------------------------------------------------------------------------------------

    /**
     * Globals missing in Lua are looked up in the GLOBAL_SCOPE bindings of the latest call's context; an
     * {@code __index} that was already there is consulted after that.
     */
    private void installGlobalScopeFallback(Globals g) {
        LuaValue mt = g.getmetatable();
        LuaTable meta = mt != null && mt.istable() ? (LuaTable) mt : new LuaTable();
        LuaValue previous = meta.rawget(LuaValue.INDEX);
        meta.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                if (key.type() == LuaValue.TSTRING) {
                    ScriptContext ctx = active;
                    Bindings global = ctx == null ? null : ctx.getBindings(ScriptContext.GLOBAL_SCOPE);
                    if (global != null) {
                        String name = (String) marshal.toJava(key);
                        if (!name.isEmpty() && global.containsKey(name)) return marshal.toLua(global.get(name));
                    }
                }
                if (previous.isfunction()) return previous.call(table, key);
                if (!previous.isnil()) return previous.get(key);
                return LuaValue.NIL;
            }
        });
        g.setmetatable(meta);
    }

    @Override
    public void setContext(ScriptContext ctx) {
        super.setContext(ctx);
        enter(ctx);
    }

    /** Points the engine's streams and GLOBAL_SCOPE lookups at {@code ctx}; later callbacks keep using them. */
    private void enter(ScriptContext ctx) {
        ensureOpen();
        if (!sandboxed) readProfile(ctx);
        active = ctx;
        applyStreams(ctx);
    }

    /**
     * The {@link #PROFILE} attribute of {@code ctx}: in our own bindings it is seen when it is put (see
     * {@link #profileAttribute}), in any other bindings here, before each call (a map lookup).
     */
    private void readProfile(ScriptContext ctx) {
        Bindings engineScope = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        Object p = engineScope != null && !(engineScope instanceof LuaBindings) ? engineScope.get(PROFILE) : null;
        if (p == null) {
            Bindings global = ctx.getBindings(ScriptContext.GLOBAL_SCOPE);
            p = global != null ? global.get(PROFILE) : null;
        }
        if (p != null) profileAttribute(PROFILE, p);
    }

    /** {@code name = value} put in bindings of this engine: the profile attribute restricts the engine at once. */
    void profileAttribute(String name, Object value) {
        if (!PROFILE.equals(name) || value == null || sandboxed) return;
        Profile p = value instanceof Profile ? (Profile) value : Profile.parse(value.toString());
        if (p != Profile.SANDBOX) return; // trusted is the default; a sandboxed engine never goes back
        engine.sandbox(); // IllegalStateException once a script ran
        sandboxed = true;
    }

    private void applyStreams(ScriptContext ctx) {
        if (ctx.getWriter() != null) engine.setOutput(ctx.getWriter());
        if (ctx.getErrorWriter() != null) engine.setErrorOutput(ctx.getErrorWriter());
        if (ctx.getReader() != null) engine.setInput(ctx.getReader());
    }

    @Override
    public Bindings createBindings() {
        ensureOpen();
        return engine.call(() -> new LuaBindings(this, newEnv()));
    }

    /** A fresh globals table that still sees the engine's globals (standard library, modules). Loop only. */
    private LuaTable newEnv() {
        LuaTable env = new LuaTable();
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, engine.globals());
        env.setmetatable(meta);
        return env;
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    // ---- eval ------------------------------------------------------------------------------------------------------

    @Override
    public Object eval(String script, ScriptContext ctx) throws ScriptException {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(ctx, "context");
        String chunk = chunkName(ctx);
        enter(ctx);
        return run(ctx, chunk, env -> load(script, chunk, env));
    }

    @Override
    public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
        return eval(readAll(reader), ctx);
    }

    /** Compiles a chunk for an environment. Loop only. */
    private interface Loader {
        LuaValue load(LuaTable env);
    }

    /**
     * Runs a chunk with the context's ENGINE_SCOPE as its globals: our own bindings directly (reads and writes go to
     * the Lua table), any other Bindings through a {@link ForeignGlobals} (read when used, assignments written back
     * when the chunk ends, even if it fails).
     */
    private Object run(ScriptContext ctx, String chunk, Loader loader) throws ScriptException {
        Bindings scope = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        boolean ours = scope instanceof LuaBindings && ((LuaBindings) scope).owner() == this;
        ForeignGlobals foreign = null;
        try {
            LuaTable env = null;
            if (ours) {
                LuaTable t = ((LuaBindings) scope).table();
                env = t == globalsBindings.table() ? null : t;
            } else if (scope != null) {
                foreign = engine.call(() -> new ForeignGlobals(scope, marshal, engine.globals()));
                env = foreign.env();
            }
            LuaTable chunkEnv = env;
            Varargs result;
            if (engine.inLoop()) {
                // already on the loop (Lua called Java that called eval): a task could not be waited for here
                result = loader.load(chunkEnv).invoke(LuaValue.NONE);
            } else {
                LuaValue fn = engine.call(() -> loader.load(chunkEnv));
                result = engine.join(engine.spawn(fn, LuaValue.NONE));
            }
            Object value = toJava(result.arg1());
            if (foreign != null) writeBack(foreign, chunk);
            return value;
        } catch (LuaScriptException | LuaError e) {
            if (foreign != null) {
                try {
                    writeBack(foreign, chunk);
                } catch (ScriptException | RuntimeException ignored) {
                    // the chunk's own error is the one to report
                }
            }
            throw scriptException(e, chunk);
        } catch (IllegalStateException e) {
            throw e; // closed engine (documented)
        } catch (RuntimeException e) {
            throw new ScriptException(e);
        }
    }

    /** Writes the globals a chunk assigned back into foreign bindings: converted on the loop, put on this thread. */
    private void writeBack(ForeignGlobals foreign, String chunk) throws ScriptException {
        Map<String, Object> values = engine.inLoop() ? foreign.assignments() : engine.call(foreign::assignments);
        foreign.writeBack(values, chunk);
    }

    /** Converts a result; tables are read on the loop, other values anywhere. */
    private Object toJava(LuaValue v) {
        if (v.istable() && !engine.inLoop()) return engine.call(() -> marshal.toJava(v));
        return marshal.toJava(v);
    }

    /**
     * Compiles a chunk on the loop. The source goes in as UTF-8 bytes (LuaJ's Reader path writes emoji as surrogate
     * pairs). The chunk name is used as is: an {@code "@"} prefix would make LuaJ's syntax errors read
     * {@code dev/x.lua:2:}, but its runtime errors would then read {@code @dev/x.lua:2:} (LuaClosure uses the raw
     * source), also for Lua code that catches them; syntax errors are tidied in {@link #scriptException} instead.
     */
    private LuaValue load(String script, String chunk, LuaTable env) {
        Globals g = engine.globals();
        try {
            return g.load(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), chunk, "t",
                    env == null ? g : env);
        } catch (LuaError e) {
            throw LuaScriptException.from(e);
        }
    }

    private static String chunkName(ScriptContext ctx) {
        Object f = ctx.getAttribute(ScriptEngine.FILENAME);
        return f == null ? DEFAULT_FILENAME : f.toString();
    }

    /** LuaJ's compiler names a chunk {@code [string "name"]} in syntax errors. */
    private static final java.util.regex.Pattern STRING_CHUNK = java.util.regex.Pattern.compile("^\\[string \"(.*?)\"\\]");

    static ScriptException scriptException(RuntimeException e, String chunk) {
        LuaScriptException l = LuaScriptException.from(e);
        String file = l.fileName() != null ? l.fileName() : chunk;
        String message = String.valueOf(l.getMessage());
        java.util.regex.Matcher m = STRING_CHUNK.matcher(file);
        if (m.find()) {
            file = m.group(1);
            message = STRING_CHUNK.matcher(message).replaceFirst(java.util.regex.Matcher.quoteReplacement(file));
        }
        ScriptException se = new ScriptException(message, file, l.lineNumber());
        se.initCause(l);
        return se;
    }

    private static String readAll(Reader reader) throws ScriptException {
        Objects.requireNonNull(reader, "reader");
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = reader.read(buf)) >= 0; ) sb.append(buf, 0, n);
        } catch (IOException e) {
            throw new ScriptException(e);
        }
        return sb.toString();
    }

    // ---- Compilable ------------------------------------------------------------------------------------------------

    /** Compiles once, on the loop; the script's chunk name is the FILENAME of the engine's context now. */
    @Override
    public CompiledScript compile(String script) throws ScriptException {
        Objects.requireNonNull(script, "script");
        ensureOpen();
        if (!sandboxed) readProfile(context);
        String chunk = chunkName(context);
        LuaValue fn;
        try {
            fn = engine.call(() -> load(script, chunk, null));
        } catch (LuaScriptException | LuaError e) {
            throw scriptException(e, chunk);
        }
        return new CompiledScript() {
            @Override
            public Object eval(ScriptContext ctx) throws ScriptException {
                Objects.requireNonNull(ctx, "context");
                enter(ctx);
                // the compiled prototype gets a fresh closure per environment; the globals one is reused
                return run(ctx, chunk, env -> env == null || !(fn instanceof LuaClosure) ? fn
                        : new LuaClosure(((LuaClosure) fn).p, env));
            }

            @Override
            public ScriptEngine getEngine() {
                return EpluaScriptEngine.this;
            }
        };
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        return compile(readAll(script));
    }

    // ---- Invocable -------------------------------------------------------------------------------------------------

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        Objects.requireNonNull(name, "name");
        ScriptContext ctx = context;
        enter(ctx);
        LuaValue fn = marshal.toLua(ctx.getAttribute(name));
        if (!callable(fn)) throw new NoSuchMethodException("no Lua function '" + name + "'");
        return call(fn, marshal.toLuaArgs(args == null ? new Object[0] : args), name);
    }

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws ScriptException, NoSuchMethodException {
        Objects.requireNonNull(name, "name");
        if (thiz == null) throw new IllegalArgumentException("thiz is null");
        enter(context);
        LuaValue self = marshal.toLua(thiz);
        LuaValue fn = engine.call(() -> self.get(name)); // honours __index: methods of a class table
        if (!callable(fn)) throw new NoSuchMethodException("no Lua method '" + name + "'");
        Object[] a = args == null ? new Object[0] : args;
        LuaValue[] all = new LuaValue[a.length + 1];
        all[0] = self;
        for (int i = 0; i < a.length; i++) all[i + 1] = marshal.toLua(a[i]);
        return call(fn, LuaValue.varargsOf(all), name);
    }

    private Object call(LuaValue fn, Varargs args, String name) throws ScriptException {
        try {
            return toJava(engine.invoke(fn, args).arg1());
        } catch (LuaScriptException | LuaError e) {
            throw scriptException(e, name);
        }
    }

    private static boolean callable(LuaValue v) {
        if (v.isfunction()) return true;
        LuaValue mt = v.getmetatable();
        return mt != null && mt.rawget(LuaValue.CALL).isfunction();
    }

    @Override
    public <T> T getInterface(Class<T> clasz) {
        return proxy(null, clasz);
    }

    @Override
    public <T> T getInterface(Object thiz, Class<T> clasz) {
        if (thiz == null) throw new IllegalArgumentException("thiz is null");
        return proxy(thiz, clasz);
    }

    /** A proxy calling Lua functions (or methods of {@code thiz}) named like the interface's methods; null if any is missing. */
    private <T> T proxy(Object thiz, Class<T> type) {
        if (type == null || !type.isInterface()) throw new IllegalArgumentException("not an interface: " + type);
        ensureOpen();
        LuaValue self = thiz == null ? null : marshal.toLua(thiz);
        for (Method m : type.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers())) continue;
            LuaValue fn = self == null ? marshal.toLua(context.getAttribute(m.getName()))
                    : engine.call(() -> self.get(m.getName()));
            if (!callable(fn)) return null;
        }
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                switch (m.getName()) {
                    case "equals": return proxy == args[0];
                    case "hashCode": return System.identityHashCode(proxy);
                    default: return type.getName() + "@eplua[" + engine.name() + "]";
                }
            }
            if (m.isDefault() && !callable(self == null ? marshal.toLua(context.getAttribute(m.getName()))
                    : engine.call(() -> self.get(m.getName())))) {
                return InvocationHandler.invokeDefault(proxy, m, args); // Lua does not override it
            }
            Object r = self == null ? invokeFunction(m.getName(), args) : invokeMethod(thiz, m.getName(), args);
            return coerce(r, m.getReturnType());
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    /** Fits a converted Lua result to a Java return type (Lua has one number type). */
    private static Object coerce(Object r, Class<?> type) {
        if (type == void.class || type == Void.class) return null;
        if (r instanceof Number) {
            Number n = (Number) r;
            if (type == int.class || type == Integer.class) return n.intValue();
            if (type == long.class || type == Long.class) return n.longValue();
            if (type == double.class || type == Double.class) return n.doubleValue();
            if (type == float.class || type == Float.class) return n.floatValue();
            if (type == short.class || type == Short.class) return n.shortValue();
            if (type == byte.class || type == Byte.class) return n.byteValue();
        }
        if (type == String.class && r != null && !(r instanceof String)) return String.valueOf(r);
        if (r == null && type.isPrimitive()) {
            if (type == boolean.class) return false;
            if (type == char.class) return '\0';
            return coerce(0, type);
        }
        return r;
    }

    // ---- close -----------------------------------------------------------------------------------------------------

    /** Closes the engine: cancels timers and tasks, closes what scripts opened, stops the loop thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        engine.close();
    }

    private void ensureOpen() {
        if (closed || engine.isClosed()) throw new IllegalStateException("eplua script engine " + engine.name() + " is closed");
    }
}
