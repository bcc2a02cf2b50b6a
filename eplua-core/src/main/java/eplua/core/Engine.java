package eplua.core;

import eplua.core.convert.LuaConvert;
import eplua.core.internal.lib.Console;
import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import eplua.core.internal.module.Installer;
import eplua.core.internal.module.ModuleHost;
import eplua.core.internal.module.ModuleLoader;
import eplua.core.spi.LuaModule;
import eplua.core.internal.task.LuaTask;
import eplua.core.internal.task.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One Lua engine: its own LuaJ {@link Globals}, its own Netty event loop (one thread), its own resources.
 *
 * <p>All Lua runs on behalf of the loop: on the loop thread itself, or on a fiber that the loop thread hands its
 * turn to ({@link Scheduler}). Other threads talk to the engine only through {@link #post}, {@link #submit},
 * {@link #call} and {@link #complete}; calls made while holding the loop's turn run inline. {@link #close()} cancels
 * timers and tasks, closes every socket and server a script opened, stops the loop and joins its thread.
 */
public final class Engine implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String name;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Thread loopThread;
    private final boolean keepJvmAlive;
    private final Executor executor;
    private volatile Writer out;
    private volatile Writer err;
    private volatile Reader in;
    private volatile Consumer<LuaScriptException> errorHandler;
    private final AtomicInteger pendingPosts = new AtomicInteger();
    private final Object idleLock = new Object();
    private volatile int registryAlive;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile Thread keeper; // guarded by idleLock

    // confined to the Lua thread
    private Globals globals;
    private Registry registry;
    private Timers timers;
    private Scheduler scheduler;
    private volatile eplua.core.internal.task.InterruptibleDebugLib debugLib;
    private final List<String> installed = new ArrayList<>();
    private final Map<Long, PendingCallback> callbacks = new java.util.HashMap<>();

    private Engine(Builder b) {
        this.name = b.name != null ? b.name : "eplua-" + COUNT.incrementAndGet();
        this.keepJvmAlive = b.keepJvmAlive;
        this.out = b.out != null ? b.out : new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        this.err = b.err != null ? b.err : new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        this.in = b.in != null ? b.in : new InputStreamReader(System.in, StandardCharsets.UTF_8);
        this.errorHandler = b.errorHandler != null ? b.errorHandler : this::writeError;
        this.group = eplua.core.internal.loop.EngineLoop.group(eplua.core.internal.task.Fibers.loopFactory(name), NioIoHandler.newFactory());
        this.loop = (EventLoop) group.next();
        this.executor = task -> {
            if (closed) return;
            loop.execute(task);
        };
        try {
            this.loopThread = loop.submit(Thread::currentThread).get();
            loop.submit(() -> {
                init(b);
                return null;
            }).get();
        } catch (ExecutionException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            throw new IllegalStateException("engine start failed", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while starting the engine", e);
        }
    }

    public static Engine create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void init(Builder b) {
        globals = JsePlatform.standardGlobals();
        if (b.debug) {
            debugLib = new eplua.core.internal.task.InterruptibleDebugLib();
            globals.load(debugLib);
        }
        globals.STDOUT = Console.printStream(() -> out);
        globals.STDERR = Console.printStream(() -> err);
        globals.STDIN = Console.inputStream(() -> in);
        registry = new Registry(this::aliveChanged);
        timers = new Timers(loop, registry, () -> scheduler.drain());
        LuaTable taskMeta = new LuaTable();
        scheduler = new Scheduler(globals, loopThread, new Scheduler.Host() {
            @Override
            public Executor executor() {
                return executor;
            }

            @Override
            public void reportUnobserved(LuaTask task, LuaError error) {
                report(LuaScriptException.from(error));
            }
        }, registry, timers, name, taskMeta);
        if (scheduler.fibersOnLoop() && loop instanceof eplua.core.internal.loop.EngineLoop)
            ((eplua.core.internal.loop.EngineLoop) loop).mountedHere(scheduler::isMountedFiber);
        globals.set("_eplua", new LuaTable());
        List<LuaModule> modules = new ArrayList<>();
        ModuleHost host = new Host();
        modules.add(new eplua.core.internal.lib.CoreModule(host, taskMeta));
        if (b.modules != null) modules.addAll(b.modules);
        if (b.discover) modules.addAll(ModuleLoader.discover(b.classLoader, this::warn));
        installed.addAll(Installer.installAll(host, modules));
    }

    /** The engine as its installer and core module see it. */
    private final class Host implements ModuleHost {
        @Override
        public String name() {
            return name;
        }

        @Override
        public Globals globals() {
            return globals;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public Registry registry() {
            checkInLoop();
            return registry;
        }

        @Override
        public Scheduler scheduler() {
            checkInLoop();
            return scheduler;
        }

        @Override
        public Timers timers() {
            checkInLoop();
            return timers;
        }

        @Override
        public void post(Runnable job) {
            Engine.this.post(job);
        }

        @Override
        public void call(LuaValue fn, Varargs args) {
            Engine.this.callLater(fn, args);
        }

        @Override
        public void settle(CompletableFuture<?> future, LuaValue success, LuaValue error) {
            Engine.this.settle(future, success, error);
        }

        @Override
        public boolean isRunning() {
            return Engine.this.isRunning();
        }

        @Override
        public void report(Throwable failure) {
            Engine.this.report(LuaScriptException.from(failure));
        }

        @Override
        public void warn(String message) {
            Engine.this.warn(message);
        }
    }

    // ---- identity and threads ----------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    /** Ids of the installed modules, in install order. */
    public List<String> modules() {
        return List.copyOf(installed);
    }

    /** The Netty loop this engine runs on; register channels here so I/O reaches Lua without a thread hop. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** True if the calling thread may run Lua now (the loop thread, or the fiber the loop handed its turn to). */
    public boolean inLoop() {
        Scheduler s = scheduler;
        return s != null ? s.holdsBaton() : loop.inEventLoop();
    }

    /** Throws unless the caller may touch Lua state: thread confinement checked, not assumed. */
    public void checkInLoop() {
        if (!inLoop())
            throw new IllegalStateException("not on the Lua thread of engine " + name + ": " + Thread.currentThread().getName());
    }

    /** Runs {@code task} on the loop, later (never inline). Any thread. The engine stays alive until it ran. */
    public void post(Runnable task) {
        Objects.requireNonNull(task, "task");
        ensureOpen();
        pendingPosts.incrementAndGet();
        try {
            loop.execute(() -> {
                try {
                    if (!closed) task.run();
                } catch (LuaError e) {
                    report(LuaScriptException.from(e));
                } catch (RuntimeException e) {
                    report(LuaScriptException.from(e));
                } finally {
                    if (pendingPosts.decrementAndGet() == 0) signalIdle();
                }
            });
        } catch (RuntimeException e) {
            pendingPosts.decrementAndGet();
            throw new IllegalStateException("engine " + name + " is closed", e);
        }
    }

    /** Runs {@code task} on the loop and completes the future with its result. Any thread. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        post(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t instanceof LuaError ? LuaScriptException.from(t) : t);
            }
        });
        return f;
    }

    /**
     * Runs {@code task} on the loop and waits for it; inline when the caller already holds the loop's turn (so a
     * Java callback made from Lua can call back in without deadlock). Exceptions of the task are rethrown.
     */
    public <T> T call(Callable<T> task) {
        if (inLoop()) {
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
        return join(submit(task));
    }

    /** Waits for a future from another thread, unwrapping its failure. Refused on the loop (it would deadlock). */
    public <T> T join(CompletableFuture<T> f) {
        if (inLoop()) throw new IllegalStateException("blocking wait on the engine's own loop would deadlock");
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
        return globals;
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
        try {
            return globals.load(new java.io.ByteArrayInputStream(source), chunkName, "t", env == null ? globals : env);
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
        ensureOpen();
        CompletableFuture<Varargs> out = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                LuaValue fn = compile(script, chunkName, env);
                relay(scheduler.spawn(fn, LuaValue.NONE).future(), out);
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        };
        if (inLoop()) r.run();
        else post(r);
        return out;
    }

    /** Runs {@code fn(args)} as a task; the future holds its results. Any thread. */
    public CompletableFuture<Varargs> spawn(LuaValue fn, Varargs args) {
        ensureOpen();
        CompletableFuture<Varargs> out = new CompletableFuture<>();
        Runnable r = () -> relay(scheduler.spawn(fn, args).future(), out);
        if (inLoop()) r.run();
        else post(r);
        return out;
    }

    /**
     * Calls a Lua function and returns its results: inline when the caller holds the loop's turn, otherwise as a
     * task on the loop while the caller waits (so the function may await).
     */
    public Varargs invoke(LuaValue fn, Varargs args) {
        try {
            if (inLoop()) return fn.invoke(args);
            ensureOpen();
            return scheduler.runOnCaller(fn, args); // the caller's thread carries the task: no extra hand-offs
        } catch (LuaError e) {
            throw LuaScriptException.from(e);
        }
    }

    /** Calls {@code fn(args)} as a new task on the loop (a callback from Java into Lua). Any thread. */
    void callLater(LuaValue fn, Varargs args) {
        if (closed || fn == null || fn.isnil()) return;
        Runnable r = () -> {
            if (!closed) scheduler.spawn(fn, args);
        };
        if (inLoop()) r.run();
        else post(r);
    }

    /**
     * The callback-style bridge: when {@code future} completes, calls {@code success(value...)} or {@code error(err)}
     * (either may be nil; err is the failure's message, or a Lua error's value) as a new task. Completed on the loop
     * (a Netty handler, Lua itself), the task is queued at once; from another thread it is posted. Any thread.
     */
    public void settle(CompletableFuture<?> future, LuaValue success, LuaValue error) {
        if ((success == null || success.isnil()) && (error == null || error.isnil())) return;
        // a callback still to come is a pending thing: it keeps the engine alive until its task is spawned
        boolean counted = !future.isDone() && inLoop();
        if (counted) registry.retain(+1);
        future.whenComplete((v, e) -> {
            LuaValue fn = e != null ? error : success;
            Runnable start = () -> {
                if (!closed && fn != null && !fn.isnil())
                    scheduler.spawn(fn, e != null ? eplua.core.internal.lib.CoreModule.errorValue(e)
                            : v instanceof Varargs ? (Varargs) v : LuaConvert.toLua(v));
                if (counted && !closed) registry.retain(-1); // after the spawn: the engine never looks idle between
            };
            if (closed) return;
            if (inLoop()) start.run();
            else post(start);
        });
    }

    /** The task-aware scheduler (Lua thread): suspend points, sleeps and awaits for module code. */
    public Scheduler scheduler() {
        checkInLoop();
        return scheduler;
    }

    /** The timers (Lua thread). */
    public Timers timers() {
        checkInLoop();
        return timers;
    }

    // ---- resources and callbacks -------------------------------------------------------------------------------

    /**
     * Tracks a resource a script opened: it keeps the engine alive unless {@code system}, and {@code closer} frees it
     * when the engine closes. Release the handle when the resource is closed. Lua thread.
     */
    public Registry.Handle track(String kind, boolean system, AutoCloseable closer) {
        checkInLoop();
        return registry.register(kind, system, closer);
    }

    /** Registers a Lua function as a one-shot callback that a Java thread completes later with {@link #complete}. */
    public long registerCallback(LuaValue fn, boolean system) {
        checkInLoop();
        Registry.Handle h = registry.register("callback", system, null);
        callbacks.put(h.id(), new PendingCallback(h, fn));
        return h.id();
    }

    /** A Lua function waiting for a Java thread to {@link #complete} it. */
    private record PendingCallback(Registry.Handle handle, LuaValue fn) {}

    /**
     * Completes a registered callback from any thread: its function runs on the loop with {@code result} converted
     * to Lua (the seed's {@code post_callback_from_thread}). Unknown or completed ids are ignored.
     */
    public void complete(long callbackId, Object... result) {
        post(() -> {
            PendingCallback c = callbacks.remove(callbackId);
            if (c == null) return;
            scheduler.spawn(c.fn(), LuaConvert.toLuaArgs(result)); // spawned first: the engine never looks idle
            c.handle().release();
        });
    }

    // ---- errors and console ------------------------------------------------------------------------------------

    public void setOutput(Writer w) {
        out = Objects.requireNonNull(w);
    }

    public void setErrorOutput(Writer w) {
        err = Objects.requireNonNull(w);
    }

    public void setInput(Reader r) {
        in = Objects.requireNonNull(r);
    }

    public Writer output() {
        return out;
    }

    public Writer errorOutput() {
        return err;
    }

    /** Where errors of callbacks and tasks that nobody awaited go; by default the error writer. */
    public void setErrorHandler(Consumer<LuaScriptException> handler) {
        errorHandler = handler != null ? handler : this::writeError;
    }

    /** Reports an error of a callback or task that nobody awaited; the loop goes on. */
    public void report(LuaScriptException e) {
        try {
            errorHandler.accept(e);
        } catch (RuntimeException x) {
            writeError(e);
        }
    }

    private void warn(String message) {
        try {
            err.write(message + System.lineSeparator());
            err.flush();
        } catch (java.io.IOException ignored) {
            // nowhere left to report it
        }
    }

    private void writeError(LuaScriptException e) {
        warn("eplua: " + e.describe());
    }

    // ---- liveness ----------------------------------------------------------------------------------------------

    /** True while timers, tasks, sockets or posted jobs that keep the engine alive are pending. */
    public boolean isAlive() {
        return !closed && (registryAlive > 0 || pendingPosts.get() > 0);
    }

    /** True until the engine starts closing ({@code is_app_running()} in Lua). */
    public boolean isRunning() {
        return !closing;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits until nothing keeps the engine alive (or it closed). Returns false on timeout. Not on the loop. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (inLoop()) throw new IllegalStateException("awaitIdle on the engine's own loop would deadlock");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idleLock) {
            while (isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(idleLock, left);
            }
        }
        return true;
    }

    private void aliveChanged(int alive) {
        registryAlive = alive;
        if (alive == 0) signalIdle();
        else if (keepJvmAlive && keeper == null && !closing) {
            synchronized (idleLock) {
                if (keeper == null) startKeeper();
            }
        }
    }

    private void signalIdle() {
        synchronized (idleLock) {
            idleLock.notifyAll();
        }
    }

    /** A non-daemon thread that keeps the JVM running exactly while the engine is alive, as Node does. */
    private void startKeeper() {
        Thread k = new Thread(() -> {
            try {
                synchronized (idleLock) {
                    while (true) {
                        while (isAlive()) idleLock.wait();
                        // linger a little: callbacks often make the engine alive again right away
                        idleLock.wait(20);
                        if (!isAlive()) break;
                    }
                }
            } catch (InterruptedException ignored) {
                // the JVM is going down
            } finally {
                synchronized (idleLock) {
                    keeper = null;
                }
            }
        }, name + "-keepalive");
        k.setDaemon(false);
        keeper = k;
        k.start();
    }

    // ---- close -------------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed || closing) throw new IllegalStateException("engine " + name + " is closed");
    }

    /**
     * Cancels timers and tasks, closes every resource scripts opened, stops the loop and joins its thread.
     * Idempotent. From the loop itself the shutdown completes asynchronously.
     */
    @Override
    public void close() {
        if (closed) return;
        if (inLoop()) {
            closing = true;
            loop.execute(this::close);
            return;
        }
        synchronized (this) {
            if (closed) return;
            closing = true;
            // a script spinning in Lua would keep the loop from ever running the shutdown: stop it (with the
            // debug library: the default)
            eplua.core.internal.task.InterruptibleDebugLib d = debugLib;
            if (d != null) d.interrupt();
            try {
                loop.submit(this::shutdownOnLoop).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                warn("eplua: engine " + name + " did not shut down cleanly: " + e);
            }
            closed = true;
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            try {
                loopThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            signalIdle();
        }
    }

    private void shutdownOnLoop() {
        closing = true;
        scheduler.close();
        timers.clear();
        callbacks.clear();
        for (Throwable t : registry.closeAll()) warn("eplua: while closing " + name + ": " + t);
    }

    private static void relay(CompletableFuture<Varargs> from, CompletableFuture<Varargs> to) {
        from.whenComplete((v, e) -> {
            if (e == null) to.complete(v);
            else to.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        });
    }

    /** Engine settings. */
    public static final class Builder {
        private String name;
        private boolean keepJvmAlive = true;
        private boolean debug = true;
        private boolean discover = true;
        private ClassLoader classLoader = Engine.class.getClassLoader();
        private List<LuaModule> modules;
        private Writer out;
        private Writer err;
        private Reader in;
        private Consumer<LuaScriptException> errorHandler;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Whether a non-daemon thread keeps the JVM running while the engine is alive (default true, like Node). */
        public Builder keepJvmAlive(boolean keep) {
            this.keepJvmAlive = keep;
            return this;
        }

        /** Load Lua's debug library, for tracebacks (default true; false runs plain Lua code faster). */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** Find modules with ServiceLoader (default true). */
        public Builder discoverModules(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader modules are discovered in. */
        public Builder classLoader(ClassLoader cl) {
            this.classLoader = cl;
            return this;
        }

        /** Installs these modules in addition to those discovered. */
        public Builder modules(List<LuaModule> modules) {
            this.modules = List.copyOf(modules);
            return this;
        }

        public Builder output(Writer w) {
            this.out = w;
            return this;
        }

        public Builder errorOutput(Writer w) {
            this.err = w;
            return this;
        }

        public Builder input(Reader r) {
            this.in = r;
            return this;
        }

        public Builder errorHandler(Consumer<LuaScriptException> handler) {
            this.errorHandler = handler;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
