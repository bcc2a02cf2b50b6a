package eplua.core.internal.lib;

import eplua.core.internal.module.ModuleHost;
import eplua.core.LuaScriptException;
import eplua.core.convert.LuaConvert;
import eplua.core.json.Json;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.core.internal.task.Coroutine;
import eplua.core.internal.task.Failures;
import eplua.core.internal.task.LuaBridge;
import eplua.core.internal.task.LuaTask;
import eplua.core.internal.task.Scheduler;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The core Lua library: timers, tasks, awaiting, JSON, environment, and coroutines on fibers. Java exports the
 * primitives into {@code _eplua.core}; {@code eplua/lua/core.lua} builds the public API on them. Installed first in
 * every engine; a module like any other.
 */
public final class CoreModule implements LuaModule {
    private final LuaTable taskMeta;
    private final ModuleHost engine;
    private Scheduler scheduler;
    /** What every Lua timer does when due (its function is the timer's payload). */
    private java.util.function.Consumer<eplua.core.internal.loop.Timers.Ticket> timerAction;
    private Globals globals;
    private Map<String, String> dotEnv;
    /** debug.getinfo as it was at install (a sandbox takes it away from scripts, not from us). */
    private LuaValue getinfo = LuaValue.NIL;

    public CoreModule(ModuleHost engine, LuaTable taskMeta) {
        this.engine = engine;
        this.taskMeta = taskMeta;
    }

    @Override
    public String id() {
        return "core";
    }

    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public void install(ModuleContext ctx) throws Exception {
        scheduler = engine.scheduler();
        timerAction = scheduler.luaTimerAction();
        globals = engine.globals();
        if (globals.get("debug").istable()) getinfo = globals.get("debug").get("getinfo");
        ctx.export(this);
        ctx.export("setTimeout", new TimerFunction("setTimeout", false));
        ctx.export("setInterval", new TimerFunction("setInterval", true));
        ctx.export("spawn", new SpawnFunction());
        ctx.export("sleep", new SleepFunction());
        ctx.export("task_meta", taskMeta);
        ctx.export("json_null", Json.NULL);
        installCoroutines();
        installPcall();
        globals.set("print", new Print(null));
        ctx.export("log", new Print("log"));
        globals.set("type", new TypeFunction());
        StandardLibFixes.install(globals);
        InteropLib.install(globals);
        if (globals.debuglib != null) globals.set("error", new ErrorFunction());
        ctx.runLua("eplua/lua/core.lua");
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    /** spawn(fn, ...) -> task; hand-written like the timers: every task starts here. */
    private final class SpawnFunction extends VarArgFunction {
        SpawnFunction() {
            this.name = "spawn";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue fn = args.arg1();
            LuaValue mt = fn.getmetatable();
            if (!fn.isfunction() && (mt == null || mt.get("__call").isnil()))
                throw new LuaScriptException.PositionedError(LuaValue.valueOf(
                        where(1) + "bad argument #1 to 'spawn' (function expected, got " + fn.typename() + ")"));
            return scheduler.spawnCounted(fn, args.subargs(2)); // a child of the running task, held to the task budget
        }
    }

    /**
     * type(v), as LuaJ's, but the names are made once: LuaJ encodes a new Lua string for every call, and argument
     * checks call type() all the time.
     */
    private static final class TypeFunction extends org.luaj.vm2.lib.LibFunction {
        private final java.util.Map<String, LuaValue> names = new java.util.concurrent.ConcurrentHashMap<>();

        TypeFunction() {
            name = "type";
        }

        @Override
        public LuaValue call(LuaValue v) {
            String n = v.typename();
            LuaValue s = names.get(n);
            if (s == null) names.put(n, s = LuaValue.valueOf(n));
            return s;
        }
    }

    /** sleep(seconds): suspends the running task; hand-written, as every await-heavy script calls it. */
    private final class SleepFunction extends org.luaj.vm2.lib.OneArgFunction {
        SleepFunction() {
            this.name = "sleep";
        }

        @Override
        public LuaValue call(LuaValue seconds) {
            if (!seconds.isnumber())
                throw new LuaScriptException.PositionedError(LuaValue.valueOf(
                        where(1) + "bad argument #1 to 'sleep' (number expected, got " + seconds.typename() + ")"));
            scheduler.sleep(seconds.todouble());
            return NONE;
        }
    }

    /** "chunk:line: " of the Lua function at {@code level} (1 = the caller of a Java function), or "". */
    private String where(int level) {
        if (globals.debuglib == null || !getinfo.isfunction()) return "";
        LuaValue info = getinfo.call(LuaValue.valueOf(level), LuaValue.valueOf("Sl"));
        if (!info.istable() || info.get("currentline").toint() <= 0) return "";
        String src = ChunkId.named(info.get("source").tojstring());
        return src + ":" + info.get("currentline").toint() + ": ";
    }

    /**
     * setTimeout/setInterval are the hottest calls scripts make: hand-written functions (no reflective adapter, no
     * boxing), validated here rather than in a Lua wrapper.
     */
    private final class TimerFunction extends org.luaj.vm2.lib.ThreeArgFunction {
        private final boolean repeat;

        TimerFunction(String name, boolean repeat) {
            this.name = name;
            this.repeat = repeat;
        }

        @Override
        public LuaValue call(LuaValue fn, LuaValue ms, LuaValue opts) {
            long id = addTimer(name, fn, ms, opts, repeat);
            return id <= Integer.MAX_VALUE ? LuaValue.valueOf((int) id) : LuaValue.valueOf((double) id);
        }
    }

    private long addTimer(String name, LuaValue fn, LuaValue ms, LuaValue opts, boolean repeat) {
        LuaValue mt = fn.getmetatable();
        if (!fn.isfunction() && (mt == null || mt.get("__call").isnil()))
            throw new LuaError("bad argument #1 to '" + name + "' (function expected, got " + fn.typename() + ")");
        double delay = 0;
        if (!ms.isnil()) {
            if (!ms.isnumber())
                throw new LuaError("bad argument #2 to '" + name + "' (number expected, got " + ms.typename() + ")");
            delay = ms.todouble();
        }
        boolean system = opts.istable() && opts.get("system").toboolean();
        return engine.timers().add(delay, repeat ? (delay > 0 ? delay : 1) : 0, system, timerAction, fn);
    }

    @LuaExport("clearTimer")
    public boolean clearTimer(LuaValue id) {
        return id.isnumber() && engine.timers().cancel(id.tolong());
    }

    // ---- tasks -------------------------------------------------------------------------------------------------


    /** await(x [, ms]): a task's results (raising its error) or a future's value; nil, "timeout" on timeout. */
    @LuaExport("await")
    public Varargs await(LuaValue x, LuaValue timeout) {
        double ms = timeout.isnil() ? 0 : timeout.checkdouble();
        if (x instanceof LuaTask) return scheduler.awaitTask((LuaTask) x, ms);
        CompletableFuture<?> f = future(x, "await");
        return scheduler.await(f, ms, TIMEOUT,
                (v, e) -> e != null ? new LuaError(LuaBridge.errorValue(e)) : LuaBridge.values(v));
    }

    /** try_await(x [, ms]): value... on success, or nil, err (never raises): the task-style network convention. */
    @LuaExport("try_await")
    public Varargs tryAwait(LuaValue x, LuaValue timeout) {
        double ms = timeout.isnil() ? 0 : timeout.checkdouble();
        if (x instanceof LuaTask) {
            try {
                return scheduler.awaitTask((LuaTask) x, ms);
            } catch (LuaError e) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaScriptException.messageValue(e));
            }
        }
        CompletableFuture<?> f = future(x, "try_await");
        return scheduler.await(f, ms, TIMEOUT,
                (v, e) -> e != null ? LuaValue.varargsOf(LuaValue.NIL, LuaBridge.errorValue(e)) : LuaBridge.values(v));
    }

    /** on_settle(x, fn): calls fn(true, value...) or fn(false, err) as a new task when x completes (callback style). */
    @LuaExport("on_settle")
    public void onSettle(LuaValue x, LuaValue fn) {
        fn.checkfunction();
        if (x instanceof LuaTask) {
            LuaTask t = (LuaTask) x;
            scheduler.spawn(new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs a) {
                    Varargs r;
                    try {
                        r = LuaValue.varargsOf(LuaValue.TRUE, scheduler.awaitTask(t, 0));
                    } catch (LuaError e) {
                        r = LuaValue.varargsOf(LuaValue.FALSE, LuaScriptException.messageValue(e));
                    }
                    return fn.invoke(r);
                }
            }, LuaValue.NONE);
            return;
        }
        engine.bridge().onSettle(future(x, "on_settle"), fn);
    }


    /**
     * settle(future, success, error): the callback-style bridge. Calls {@code success(value...)} or
     * {@code error(err)} (either may be nil) as a new task when the future completes; no Lua closure in between.
     */
    @LuaExport("settle")
    public void settle(LuaValue x, LuaValue success, LuaValue error) {
        if (success.isnil() && error.isnil()) return;
        engine.bridge().settle(future(x, "settle"), success, error);
    }

    @LuaExport("yield")
    public Varargs yieldTurn(LuaValue seconds) {
        if (seconds.isnil() || seconds.todouble() <= 0) return scheduler.yieldTurn();
        return scheduler.sleep(seconds.todouble());
    }

    @LuaExport("task_status")
    public String taskStatus(LuaValue t) {
        switch (task(t).status()) {
            case NEW:
            case SUSPENDED: return "suspended";
            case RUNNING: return "running";
            case DONE: return "done";
            case FAILED: return "failed";
            default: return "cancelled";
        }
    }

    @LuaExport("task_cancel")
    public boolean taskCancel(LuaValue t) {
        LuaTask task = task(t);
        if (task.isFinished() || task.status() == LuaTask.Status.CANCELLED) return false;
        scheduler.cancel(task);
        return true;
    }

    @LuaExport("current_task")
    public LuaValue currentTask() {
        LuaTask t = scheduler.current();
        return t == null ? LuaValue.NIL : t;
    }

    @LuaExport("is_awaitable")
    public boolean isAwaitable(LuaValue v) {
        return v instanceof LuaTask || v.isuserdata() && v.touserdata() instanceof CompletableFuture;
    }

    /** The engine's metrics now, as one table (eplua.metrics()). */
    @LuaExport("metrics")
    public LuaValue metrics() {
        return eplua.core.internal.metrics.MetricsTable.of(engine.meter().snapshot());
    }

    @LuaExport("is_app_running")
    public boolean isAppRunning() {
        return engine.isRunning();
    }

    /** defer(fn): false outside a task (core.lua raises there, at the caller's line). */
    @LuaExport("defer")
    public boolean defer(LuaValue fn) {
        return scheduler.defer(fn);
    }

    @LuaExport("on_cleanup")
    public void onCleanup(LuaValue fn) {
        engine.onCleanup(fn);
    }

    /** The wall clock in seconds, with microseconds. */
    @LuaExport("time_seconds")
    public double timeSeconds() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    // ---- json and environment ----------------------------------------------------------------------------------

    @LuaExport("json_encode")
    public LuaValue jsonEncode(LuaValue v) {
        return Json.utf8(Json.encode(v));
    }

    @LuaExport("json_encode_formatted")
    public LuaValue jsonEncodeFormatted(LuaValue v) {
        return Json.utf8(Json.encodeFormatted(v));
    }

    @LuaExport("json_decode")
    public LuaValue jsonDecode(LuaValue s) {
        return Json.decode(s.checkstring());
    }

    /**
     * The environment the host gave the engine, else the process environment; then, for a trusted engine, a
     * {@code .env} file in the working directory (read once). A sandboxed engine sees only what the host gave it.
     */
    @LuaExport("getenv")
    public LuaValue getenv(String name) {
        Map<String, String> given = engine.policy().env();
        if (given == null && engine.policy().sandboxed()) return LuaValue.NIL;
        String v = given != null ? given.get(name) : System.getenv(name);
        if (v == null && !engine.policy().sandboxed()) {
            if (dotEnv == null) dotEnv = readDotEnv(Paths.get(System.getProperty("user.dir"), ".env"));
            v = dotEnv.get(name);
        }
        return v == null ? LuaValue.NIL : LuaValue.valueOf(v);
    }

    static Map<String, String> readDotEnv(Path file) {
        Map<String, String> out = new HashMap<>();
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) return out;
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return out;
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("export ")) l = l.substring(7).strip();
            int eq = l.indexOf('=');
            if (eq <= 0) continue;
            String key = l.substring(0, eq).strip();
            String val = l.substring(eq + 1).strip();
            if (val.length() >= 2 && (val.startsWith("\"") && val.endsWith("\"") || val.startsWith("'") && val.endsWith("'"))) {
                val = val.substring(1, val.length() - 1);
            } else {
                int hash = val.indexOf(" #");
                if (hash >= 0) val = val.substring(0, hash).strip();
            }
            out.put(key, val);
        }
        return out;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static final Varargs TIMEOUT = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("timeout"));
    private static final java.time.format.DateTimeFormatter LOG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private static LuaTask task(LuaValue t) {
        if (!(t instanceof LuaTask)) throw new LuaError("bad argument #1 (task expected, got " + t.typename() + ")");
        return (LuaTask) t;
    }

    private static CompletableFuture<?> future(LuaValue x, String fn) {
        Object o = x.isuserdata() ? x.touserdata() : null;
        if (o instanceof CompletableFuture) return (CompletableFuture<?>) o;
        throw new LuaError("bad argument #1 to '" + fn + "' (task or future expected, got " + x.typename() + ")");
    }

    // ---- coroutine library on fibers, pcall without LuaJ's appended traceback ------------------------------------

    private void installCoroutines() {
        LuaTable co = (LuaTable) globals.get("coroutine");
        co.set("create", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return scheduler.newCoroutine(a.checkfunction(1));
            }
        });
        co.set("resume", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaThread t = a.checkthread(1);
                if (!(t instanceof Coroutine))
                    return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume non-suspended coroutine"));
                return t.resume(a.subargs(2));
            }
        });
        co.set("yield", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaValue r = globals.running;
                if (!(r instanceof Coroutine)) throw new LuaError("attempt to yield from outside a coroutine");
                return ((Coroutine) r).yield(a);
            }
        });
        co.set("status", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.valueOf(a.checkthread(1).getStatus());
            }
        });
        co.set("running", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaThread r = globals.running;
                return LuaValue.varargsOf(r, LuaValue.valueOf(!(r instanceof Coroutine)));
            }
        });
        co.set("wrap", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Coroutine c = scheduler.newCoroutine(a.checkfunction(1));
                return new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs args) {
                        Varargs r = c.resume(args);
                        if (r.arg1().toboolean()) return r.subargs(2);
                        throw new LuaError(r.arg(2));
                    }
                };
            }
        });
    }

    /**
     * Lua's {@code print}, writing the bytes of each {@code tostring(v)}: LuaJ's decodes them with
     * {@code tojstring()}, which garbles 4-byte UTF-8 (emoji) and disagrees with {@code io.write}. As {@code log} it
     * starts the line with the local time, {@code [HH:MM:SS.mmm] } (SignaKit's log).
     */
    private final class Print extends VarArgFunction {
        Print(String name) {
            if (name != null) this.name = name;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue tostring = globals.get("tostring");
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            if ("log".equals(name)) {
                byte[] t = ("[" + java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                        .format(LOG_TIME) + "] ").getBytes(StandardCharsets.US_ASCII);
                line.write(t, 0, t.length);
            }
            for (int i = 1, n = args.narg(); i <= n; i++) {
                if (i > 1) line.write('\t');
                LuaValue s = tostring.call(args.arg(i));
                if (!s.isstring()) throw new LuaError("'tostring' must return a string to 'print'");
                byte[] b = LuaConvert.toBytes(s);
                line.write(b, 0, b.length);
            }
            line.write('\n');
            globals.STDOUT.write(line.toByteArray(), 0, line.size());
            globals.STDOUT.flush();
            return LuaValue.NONE;
        }
    }

    /**
     * Lua's {@code error(msg [, level])} with levels that work: LuaJ always names the line of the function that
     * called {@code error}; here level 2 names its caller (the convention for "bad argument" errors) and level 0
     * adds no position, as in C Lua. Needs the debug library (it reads the call stack).
     */
    private final class ErrorFunction extends org.luaj.vm2.lib.TwoArgFunction {
        @Override
        public LuaValue call(LuaValue msg, LuaValue level) {
            int lvl = level.optint(1);
            if (!msg.isstring() || msg.isnumber() && lvl != 0) {
                // non-string values travel as they are; numbers keep LuaJ's behaviour
                if (msg.isnil()) throw new LuaError((String) null, lvl);
                throw msg.isstring() ? new LuaError(msg.tojstring(), lvl) : new LuaError(msg);
            }
            LuaValue text = lvl > 0 ? LuaValue.valueOf(where(lvl)).concat(msg.checkstring()) : msg;
            throw new LuaScriptException.PositionedError(text);
        }
    }

    private void installPcall() {
        globals.set("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue f = args.checkvalue(1);
                if (globals.debuglib != null) globals.debuglib.onCall(this);
                try {
                    return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
                } catch (LuaError e) {
                    return LuaValue.varargsOf(LuaValue.FALSE, LuaScriptException.messageValue(e));
                } catch (RuntimeException e) {
                    String m = e.getMessage();
                    return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(m != null ? m : e.toString()));
                } catch (Error e) {
                    // out of memory, a Java stack overflow, ...: what f held is gone with its stack, Lua goes on
                    if (Failures.passesThrough(e)) throw e;
                    return LuaValue.varargsOf(LuaValue.FALSE, Failures.value(e));
                } finally {
                    if (globals.debuglib != null) globals.debuglib.onReturn();
                }
            }
        });
        // LuaJ's xpcall, also for Java errors: the handler gets their message
        LuaValue xpcall = globals.get("xpcall");
        globals.set("xpcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                try {
                    return xpcall.invoke(args);
                } catch (Error e) {
                    if (Failures.passesThrough(e)) throw e;
                    LuaValue m = Failures.value(e);
                    try {
                        m = args.arg(2).call(m);
                    } catch (LuaError x) {
                        m = LuaScriptException.messageValue(x);
                    }
                    return LuaValue.varargsOf(LuaValue.FALSE, m);
                }
            }
        });
    }
}
