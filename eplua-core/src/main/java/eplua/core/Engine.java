package eplua.core;

import eplua.core.internal.Internals;
import eplua.core.internal.engine.EngineConfig;
import eplua.core.internal.engine.EngineParts;
import eplua.core.internal.engine.Liveness;
import eplua.core.internal.engine.LuaSide;
import eplua.core.internal.task.Scheduler;
import io.netty.channel.EventLoop;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One Lua engine: its own LuaJ {@link Globals}, its own resources, placed on one Netty event loop that it shares with
 * other engines (see {@link LoopGroup}) or has to itself.
 *
 * <p>All Lua runs on behalf of the loop, one step at a time under the engine's baton: on the loop thread itself, on a
 * fiber the loop hands its turn to (see {@link FiberMode}), or on a host thread that runs its own {@link #invoke}.
 * Other threads talk to the engine only through {@link #post}, {@link #submit}, {@link #call}, {@link #eval},
 * {@link #spawn}, {@link #invoke} and {@link #complete}; calls made while holding the baton run inline.
 * {@link #close()} cancels timers and tasks, closes every socket and server a script opened and leaves the loop.
 */
public final class Engine implements AutoCloseable {
    private final EngineParts parts;
    private final LuaSide lua;
    private final Scheduler scheduler;
    private final Liveness liveness;
    /** A script ran (eval, spawn, invoke, compile): too late to become a sandbox. */
    private volatile boolean ranScript;

    static {
        Internals.grant(e -> e.parts); // tests and tools reach the parts; hosts see only this class
    }

    private Engine(Builder b) {
        parts = EngineParts.start(new EngineConfig(b.name, b.keepJvmAlive, b.debug, b.discover, b.classLoader,
                b.modules, b.out, b.err, b.in, b.errorHandler, b.fiberMode, b.gracePeriod, b.contain(),
                b.ownLoop ? null : (b.loopGroup != null ? b.loopGroup : LoopGroup.shared()).loops));
        lua = parts.lua();
        scheduler = lua.scheduler();
        liveness = parts.liveness();
        if (b.blockedLoopThreshold != null) lua.meter().blockedThreshold(b.blockedLoopThreshold.toNanos());
    }

    public static Engine create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- identity and threads ----------------------------------------------------------------------------------

    public String name() {
        return parts.name();
    }

    /** Ids of the installed modules, in install order. */
    public List<String> modules() {
        return lua.installed();
    }

    /** What this engine's scripts may reach (see {@link Profile}). Any thread. */
    public Profile profile() {
        return lua.policy().profile();
    }

    /**
     * Makes this engine a sandboxed one, as if built with {@link Builder#profile profile(SANDBOX)}: for hosts that
     * learn the profile after the engine exists (a javax.script engine reads its {@code eplua.profile} attribute at
     * the first eval). Only before the engine runs its first script (eval, spawn, invoke or compile): later an
     * {@link IllegalStateException}. A sandboxed engine stays one. Any thread but the engine's own.
     */
    public void sandbox() {
        if (profile() == Profile.SANDBOX) return;
        if (ranScript)
            throw new IllegalStateException("engine " + name() + " ran a script already: too late for the sandbox");
        call(() -> {
            lua.restrict();
            return null;
        });
    }

    /** Which threads carry this engine's tasks and coroutines (chosen at start, see {@link FiberMode}). */
    public FiberMode fiberMode() {
        return scheduler.mode();
    }

    /** The name of the thread of the loop this engine is placed on (see {@link LoopGroup}). */
    public String loopName() {
        return parts.loopThread().getName();
    }

    /** The Netty loop this engine runs on; register channels here so I/O reaches Lua without a thread hop. */
    public EventLoop eventLoop() {
        return lua.eventLoop();
    }

    /** True if the calling thread may run Lua now (the loop thread, or the fiber the loop handed its turn to). */
    public boolean inLoop() {
        return scheduler.holdsBaton();
    }

    private void checkInLoop() {
        if (!inLoop())
            throw new IllegalStateException("not on the Lua thread of engine " + name() + ": "
                    + Thread.currentThread().getName());
    }

    /** Runs {@code task} on the loop, later (never inline). Any thread. The engine stays alive until it ran. */
    public void post(Runnable task) {
        liveness.post(task);
    }

    /** Runs {@code task} on the loop and completes the future with its result. Any thread. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        post(() -> {
            try {
                scheduler.hostSlice(); // Lua the host's job runs is a slice of its own
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t instanceof LuaError ? LuaScriptException.from(t) : t);
                // the JVM failing in the loop itself, outside any task (out of memory, a Java stack overflow): the
                // engine cannot be trusted to go on; any other error is the host's to handle
                if (t instanceof VirtualMachineError) scheduler.fatal(t);
            }
        });
        return f;
    }

    /**
     * Runs {@code task} on the Lua thread and waits for it: inline when the caller already holds the engine's turn
     * (so a Java callback made from Lua can call back in without deadlock), or when the engine is idle (the calling
     * thread then takes the turn itself: no hop to the loop); otherwise on the loop. Exceptions are rethrown.
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Callable<T> task) {
        if (inLoop()) return (T) rethrowing(task);
        if (!liveness.isClosed()) {
            Object r = rethrowing(() -> scheduler.tryCall(task));
            if (r != Scheduler.BUSY) return (T) r;
        }
        return join(submit(task));
    }

    /** Runs {@code task} here: a Lua error becomes a LuaScriptException, a checked one a CompletionException. */
    private static Object rethrowing(Callable<?> task) {
        try {
            return task.call();
        } catch (LuaError e) {
            throw LuaScriptException.from(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Waits for a future from another thread, unwrapping its failure. Refused on the loop (it would deadlock). */
    public <T> T join(CompletableFuture<T> f) {
        if (inLoop()) throw new IllegalStateException("blocking wait on the engine's own loop would deadlock");
        if (scheduler.callerRunsOnItsLoop()) throw scheduler.sameLoop();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new CompletionException(c);
        }
    }

    // ---- Lua ---------------------------------------------------------------------------------------------------

    /** The Lua globals. Only on the Lua thread. */
    public Globals globals() {
        checkInLoop();
        return lua.globals();
    }

    /** Compiles a chunk (syntax errors become {@link LuaScriptException}). Lua thread. */
    public LuaValue compile(String script, String chunkName, LuaTable env) {
        // as UTF-8 bytes: LuaJ's Reader path stores characters outside the BMP as surrogate pairs
        return compile(script.getBytes(StandardCharsets.UTF_8), chunkName, env);
    }

    /**
     * Compiles a chunk given as bytes, as a file or stdin holds it: Lua strings are bytes, so a string literal keeps
     * the bytes between its quotes whatever their encoding. Lua thread.
     */
    public LuaValue compile(byte[] source, String chunkName, LuaTable env) {
        checkInLoop();
        ranScript = true;
        Globals g = lua.globals();
        try {
            return g.load(new java.io.ByteArrayInputStream(source), chunkName, "t", env == null ? g : env);
        } catch (LuaError e) {
            throw LuaScriptException.from(e);
        }
    }

    /** Compiles and runs a chunk as a task (it may await); the future holds its results. Any thread. */
    public CompletableFuture<Varargs> eval(String script, String chunkName) {
        return eval(script, chunkName, null);
    }

    /** As {@link #eval(String, String)}, with {@code env} as the chunk's globals. */
    public CompletableFuture<Varargs> eval(String script, String chunkName, LuaTable env) {
        return eval(script.getBytes(StandardCharsets.UTF_8), chunkName, env);
    }

    /** As {@link #eval(String, String, LuaTable)}, for a source read as bytes (see {@code compile(byte[], ...)}). */
    public CompletableFuture<Varargs> eval(byte[] script, String chunkName, LuaTable env) {
        liveness.ensureOpen();
        ranScript = true;
        return lua.bridge().submit(() -> compile(script, chunkName, env), LuaValue.NONE);
    }

    /** Runs {@code fn(args)} as a task; the future holds its results. Any thread. */
    public CompletableFuture<Varargs> spawn(LuaValue fn, Varargs args) {
        liveness.ensureOpen();
        ranScript = true;
        return lua.bridge().submit(() -> fn, args);
    }

    /**
     * Calls a Lua function and returns its results: inline when the caller holds the loop's turn, otherwise as a
     * task that the calling thread runs itself while the loop waits (so the function may await).
     */
    public Varargs invoke(LuaValue fn, Varargs args) {
        ranScript = true;
        try {
            if (inLoop()) return fn.invoke(args);
            liveness.ensureOpen();
            return scheduler.runOnCaller(fn, args); // the caller's thread carries the task: no extra hand-offs
        } catch (LuaError e) {
            throw LuaScriptException.from(e);
        }
    }

    /**
     * Registers a Lua function as a one-shot callback that a Java thread runs later with {@link #complete} (a host
     * function hands the id to its worker). Until then it keeps the engine alive, unless {@code background}. Lua
     * thread.
     */
    public long registerCallback(LuaValue fn, boolean background) {
        return lua.bridge().register(fn, background);
    }

    /**
     * Runs a registered callback as a task, from any thread, with {@code result} converted to Lua (the seed's
     * {@code post_callback_from_thread}). Unknown or completed ids are ignored.
     */
    public void complete(long callbackId, Object... result) {
        lua.bridge().complete(callbackId, result);
    }

    /**
     * A snapshot of the engine's metrics: loop lag, callbacks and tasks per second, tasks, timers and resources now,
     * the longest callback recently. Any thread; never waits for the loop.
     */
    public EngineMetrics metrics() {
        return lua.meter().snapshot();
    }

    // ---- console and errors ------------------------------------------------------------------------------------

    public void setOutput(Writer w) {
        parts.reporter().setOut(w);
    }

    public void setErrorOutput(Writer w) {
        parts.reporter().setErr(w);
    }

    public void setInput(Reader r) {
        parts.reporter().setIn(r);
    }

    public Writer output() {
        return parts.reporter().out();
    }

    public Writer errorOutput() {
        return parts.reporter().err();
    }

    /** Where errors of callbacks and tasks that nobody awaited go; by default (null) the error writer. */
    public void setErrorHandler(Consumer<LuaScriptException> handler) {
        parts.reporter().setErrorHandler(handler);
    }

    /** Reports an error of a callback or task that nobody awaited; the loop goes on. */
    public void report(LuaScriptException e) {
        parts.reporter().report(e);
    }

    // ---- liveness and close ------------------------------------------------------------------------------------

    /** True while timers, tasks, sockets or posted jobs that keep the engine alive are pending. */
    public boolean isAlive() {
        return liveness.isAlive();
    }

    /** True until the engine starts closing ({@code is_app_running()} in Lua). */
    public boolean isRunning() {
        return liveness.isRunning();
    }

    public boolean isClosed() {
        return liveness.isClosed();
    }

    /** Waits until nothing keeps the engine alive (or it closed). Returns false on timeout. Not on the loop. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (inLoop()) throw new IllegalStateException("awaitIdle on the engine's own loop would deadlock");
        return liveness.awaitIdle(timeout);
    }

    /**
     * Shuts the engine down: {@link #isRunning()} ({@code is_app_running()}) turns false and new host calls are
     * refused; the {@code on_cleanup} handlers run as tasks; the engine's tasks get the grace period
     * ({@link Builder#gracePeriod}) to finish; those left are then cancelled with their clean-up ({@code defer}, the
     * resources they own); every timer and every resource scripts opened is closed, the loop stops and its thread is
     * joined. After it, calls fail with an {@link IllegalStateException}. Idempotent; any thread: from another thread
     * it returns when all of that is done, within the grace period plus a margin (Lua that never yields is stopped
     * then). Called on the engine's own Lua thread (a script closing its engine, a posted job, a Netty handler) it
     * returns at once: the shutdown runs as soon as the caller hands the loop its turn back, and the loop's thread
     * then ends on its own.
     */
    @Override
    public void close() {
        parts.close(inLoop());
    }

    /** Engine settings (see {@link EngineOptions}); {@link #build()} starts the engine. */
    public static final class Builder extends EngineOptions<Builder> {
        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
