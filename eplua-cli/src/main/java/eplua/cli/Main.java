package eplua.cli;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import eplua.core.Profile;
import eplua.jsr223.EpluaScriptEngine;
import eplua.jsr223.EpluaScriptEngineFactory;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import javax.script.ScriptEngine;
import javax.script.ScriptException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code eplua [options] [script [args]]}: runs Lua on a javax.script "eplua" engine and exits, like Node, once the
 * engine is idle (no timer, task, socket or server left), or when {@code --run-for} says so.
 *
 * <p>The program ends by the engine's shutdown protocol (see eplua-core/LIFECYCLE.md) when the engine is idle, at the
 * {@code --run-for} deadline, on SIGINT or SIGTERM, or after an error in the main chunk: {@code is_app_running()}
 * turns false, the {@code on_cleanup} handlers run, tasks get their grace period, then the rest is cancelled and closed.
 *
 * <p>Exit status: 0 when all went well; 1 for a Lua error: an error in the main chunk (or an {@code -e} chunk) stops
 * the program, as in lua and Node (through the shutdown above); an error in a timer, task or callback is reported to
 * stderr with its traceback and the loop goes on (a server should not die of one bad request), but the status at the
 * end is 1 so that scripts and CI notice; 2 for bad usage or a script that cannot be read; 130 after SIGINT and 143
 * after SIGTERM (128 + the signal's number, as shells report a program a signal ended). A second signal while the
 * program shuts down ends it at once.
 */
public final class Main {
    static final int OK = 0;
    static final int LUA_ERROR = 1;
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean callbackFailed = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Object exitLock = new Object();
    private ScriptEngine script;
    private Engine engine;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        Main m = new Main(System.out, System.err);
        int code;
        try {
            code = m.run(argv);
        } catch (RuntimeException | Error e) {
            System.err.println("eplua: " + e);
            code = LUA_ERROR;
        }
        m.exit(code);
    }

    private int run(String[] argv) {
        Options o;
        try {
            o = Options.parse(argv);
        } catch (Options.UsageException e) {
            err.println("eplua: " + e.getMessage());
            err.println(Options.USAGE);
            return USAGE;
        }
        if (o.help) {
            out.println(Options.USAGE);
            return OK;
        }
        boolean nothingToRun = o.chunks.isEmpty() && o.script == null && !o.interactive;
        if (o.version) {
            out.println(version());
            if (nothingToRun) return OK;
        }
        if (o.typesDir != null) {
            try {
                List<Path> files = DefinitionFiles.writeTo(Path.of(o.typesDir));
                out.println("eplua: wrote " + files.size() + " Lua definition files to " + o.typesDir
                        + "; in .luarc.json: \"workspace.library\": [\"" + o.typesDir + "\"]");
            } catch (IOException | RuntimeException e) {
                err.println("eplua: cannot write the definition files to " + o.typesDir + " (" + e.getMessage() + ")");
                return USAGE;
            }
            if (nothingToRun) return OK;
        }
        ClassLoader modules;
        try {
            modules = ModulePath.loader(ModulePath.entries(o, System.getenv(ModulePath.ENV)), Main.class.getClassLoader());
        } catch (ModulePath.BadEntry e) {
            err.println("eplua: " + e.getMessage());
            return USAGE;
        }
        // read the script before starting anything, so that a typo costs no engine start
        byte[] source = null;
        if (o.script != null) {
            try {
                source = read(o.script);
            } catch (IOException e) {
                err.println("eplua: cannot open " + o.script + " (" + reason(e) + ")");
                return USAGE;
            }
        }
        boolean console = System.console() != null;
        boolean repl = o.interactive || (o.script == null && o.chunks.isEmpty() && console);
        if (o.script == null && o.chunks.isEmpty() && !repl) {
            // like lua: no script and stdin is not a terminal means the script comes from stdin
            try {
                source = read("-");
            } catch (IOException e) {
                err.println("eplua: cannot read stdin (" + reason(e) + ")");
                return USAGE;
            }
        }

        // modules found in the module path may look up their own resources and services through the context loader
        Thread.currentThread().setContextClassLoader(modules);
        EpluaScriptEngine se = new EpluaScriptEngine(new EpluaScriptEngineFactory(),
                contained(Engine.builder().name("eplua").classLoader(modules), o));
        script = se;
        engine = se.engine();
        engine.setErrorHandler(e -> {
            // a blocked-loop warning is a warning: shown, but the program has not failed because of it
            String m = e.getMessage();
            if (m == null || !m.startsWith("blocked loop:")) callbackFailed.set(true);
            err.println("eplua: " + Messages.tidy(e.describe(), null));
            err.flush();
        });
        handleSignals();
        // require: the script's folder first, then LUA_PATH
        engine.call(() -> {
            LuaValue pkg = engine.globals().get("package");
            pkg.set("path", LuaPath.of(o.script, System.getenv(), pkg.get("path").tojstring()));
            return null;
        });
        // --run-for counts from here: the script's time, without the JVM's and the engine's start
        long start = System.nanoTime();
        if (o.runFor != null && o.runFor != 0) watchdog(start + seconds(Math.abs(o.runFor)));
        se.put("arg", argTable(o));

        for (String chunk : o.chunks) {
            if (!continues(eval(chunk, "(command line)"))) return LUA_ERROR;
        }
        String chunkName = o.script == null || o.script.equals("-") ? "stdin" : o.script;
        if (source != null && !continues(eval(source, chunkName))) return LUA_ERROR;
        if (repl) {
            if (console) out.println(version());
            Repl r = new Repl(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    console ? out : null, err, (code, name) -> {
                        String failure = eval(code, name);
                        if (failure != null && !failure.isEmpty()) {
                            err.println(failure); // the REPL goes on
                            err.flush();
                        }
                    });
            try {
                r.run();
            } catch (IOException e) {
                err.println("eplua: reading stdin: " + reason(e));
            }
        }
        return waitForEnd(o, start);
    }

    /** --sandbox and its allowances; require reads the script's folder only. */
    static Engine.Builder contained(Engine.Builder b, Options o) {
        if (!o.sandbox) return b;
        Map<String, String> env = new HashMap<>();
        for (String name : o.allowEnv) {
            String v = System.getenv(name);
            if (v != null) env.put(name, v);
        }
        List<Path> roots = new ArrayList<>();
        if (o.script != null && !o.script.equals("-")) {
            Path dir = Path.of(o.script).toAbsolutePath().getParent();
            if (dir != null) roots.add(dir);
        }
        int[] ports = new int[o.allowListen.size()];
        for (int i = 0; i < ports.length; i++) ports[i] = o.allowListen.get(i);
        return b.profile(Profile.SANDBOX).environment(env).requireRoots(roots)
                .allowConnect(o.allowConnect.toArray(new String[0])).allowListen(ports);
    }

    /** Blocks until the program should end, by the rules of --run-for; returns the exit status. */
    private int waitForEnd(Options o, long start) {
        try {
            if (o.runFor == null) {
                while (!engine.awaitIdle(Duration.ofDays(1))) {
                    // an engine alive for a day is fine: keep waiting
                }
            } else if (o.runFor > 0) {
                long left = start + seconds(o.runFor) - System.nanoTime();
                engine.awaitIdle(Duration.ofNanos(Math.max(0, left)));
            } else {
                // 0: forever; <0: exactly |N| s. The watchdog ends the program at the deadline.
                new CountDownLatch(1).await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return callbackFailed.get() ? LUA_ERROR : OK;
    }

    /**
     * Runs a chunk; returns null, or the Lua error with its traceback. Chunks are named plainly ("x.lua",
     * "(command line)", "stdin"), as jrunscript and the engine's own tests name them: LuaJ 3.0.1 would put a "@" or
     * "=" prefix into runtime error messages verbatim.
     */
    private String eval(String code, String chunkName) {
        return run(chunkName, () -> {
            script.put(ScriptEngine.FILENAME, chunkName);
            script.eval(code);
        });
    }

    /**
     * Runs a chunk read from a file or stdin, as bytes: a string literal keeps the bytes between its quotes, as in
     * lua (a String would have decoded them as UTF-8). Same globals as {@link #eval(String, String)}.
     */
    private String eval(byte[] code, String chunkName) {
        return run(chunkName, () -> engine.join(engine.eval(code, chunkName, null)));
    }

    private interface Chunk {
        void run() throws ScriptException;
    }

    private String run(String chunkName, Chunk chunk) {
        try {
            chunk.run();
            return null;
        } catch (ScriptException | RuntimeException e) {
            if (!engine.isRunning()) return ""; // stopped by --run-for while the chunk ran: nothing to report
            return Messages.tidy(describe(e), chunkName);
        }
    }

    /**
     * After a chunk of the program (its failure or null): false when it failed, which stops the program at once (its
     * timers do not fire), as in lua.
     */
    private boolean continues(String failure) {
        if (failure == null) return true;
        engine.close();
        if (!failure.isEmpty()) err.println("eplua: " + failure);
        return false;
    }

    /** The Lua message and traceback of a failure, as lua prints them. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LuaScriptException) return ((LuaScriptException) t).describe();
            if (t.getCause() == t) break;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Lua's arg table: arg[0] the script, arg[1..n] its arguments, arg[-k] the words before the script. */
    static LuaTable argTable(Options o) {
        LuaTable t = new LuaTable();
        int base = o.scriptIndex >= 0 ? o.scriptIndex : o.all.size();
        t.rawset(-base - 1, LuaValue.valueOf("eplua"));
        for (int i = 0; i < o.all.size(); i++) t.rawset(i - base, LuaValue.valueOf(o.all.get(i)));
        return t;
    }

    /** A daemon thread that ends the program at {@code deadline} (System.nanoTime), for --run-for. */
    private void watchdog(long deadline) {
        Thread t = new Thread(() -> {
            try {
                long left;
                while ((left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                return;
            }
            exit(callbackFailed.get() ? LUA_ERROR : OK);
        }, "eplua-run-for");
        t.setDaemon(true);
        t.start();
    }

    /**
     * SIGINT and SIGTERM shut the program down as {@code --run-for} does, then it exits with 128 + the signal's number;
     * a second one exits at once. Where the JVM keeps a signal to itself ({@code -Xrs}), a shutdown hook still closes
     * the engine (the JVM then sets the status).
     */
    private void handleSignals() {
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> onSignal(128 + sig.getNumber()));
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // not ours to handle here: the shutdown hook below does the closing
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Engine e = engine;
            if (e != null && !e.isClosed()) {
                e.close();
                flushAll();
            }
        }, "eplua-shutdown"));
    }

    private void onSignal(int code) {
        if (signalled.getAndSet(true)) {
            flushAll();
            Runtime.getRuntime().halt(code); // asked twice: no more waiting
        }
        Thread t = new Thread(() -> exit(code), "eplua-signal"); // the JVM's signal thread must not wait for the grace
        t.setDaemon(true);
        t.start();
    }

    private void flushAll() {
        if (script != null) {
            flush(script.getContext().getWriter());
            flush(script.getContext().getErrorWriter());
        }
        out.flush();
        err.flush();
    }

    /** Closes the engine (timers, tasks, sockets), flushes the output and exits. The first caller wins. */
    private void exit(int code) {
        synchronized (exitLock) {
            if (engine != null) {
                try {
                    engine.close();
                } catch (RuntimeException e) {
                    err.println("eplua: while closing: " + e);
                }
            }
            flushAll();
            System.exit(code);
        }
    }

    private static void flush(Writer w) {
        try {
            if (w != null) w.flush();
        } catch (IOException ignored) {
            // the stream is gone; nothing left to tell
        }
    }

    /** A script's bytes, without a UTF-8 byte order mark; a first line starting with '#' is commented out. */
    static byte[] read(String path) throws IOException {
        byte[] bytes;
        if (path.equals("-")) {
            try (InputStream in = System.in) {
                bytes = in.readAllBytes();
            }
        } else {
            bytes = Files.readAllBytes(Path.of(path));
        }
        boolean bom = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
        int from = bom ? 3 : 0;
        // a "#!/usr/bin/env eplua" line is skipped as lua does; commenting it out keeps the line numbers
        boolean hash = bytes.length > from && bytes[from] == '#';
        byte[] out = new byte[bytes.length - from + (hash ? 2 : 0)];
        if (hash) out[0] = out[1] = '-';
        System.arraycopy(bytes, from, out, hash ? 2 : 0, bytes.length - from);
        return out;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null)
            return ((java.nio.file.FileSystemException) e).getReason();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall back to "unknown" below
        }
        return "eplua " + p.getProperty("version", "unknown") + " (LuaJ " + p.getProperty("luaj", "?")
                + ", Lua 5.2; Netty " + p.getProperty("netty", "?") + "; Java " + System.getProperty("java.version") + ")";
    }
}
