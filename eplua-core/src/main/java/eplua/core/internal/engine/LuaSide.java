package eplua.core.internal.engine;

import eplua.core.FiberMode;
import eplua.core.LuaScriptException;
import eplua.core.internal.contain.ContainConfig;
import eplua.core.internal.contain.Policy;
import eplua.core.internal.contain.Sandbox;
import eplua.core.internal.lib.Console;
import eplua.core.internal.lib.CoreModule;
import eplua.core.internal.loop.EngineLoop;
import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import eplua.core.internal.metrics.Logs;
import eplua.core.internal.metrics.Meter;
import eplua.core.internal.module.Installer;
import eplua.core.internal.module.ModuleHost;
import eplua.core.internal.module.ModuleLoader;
import eplua.core.internal.module.Preloads;
import eplua.core.internal.task.Fibers;
import eplua.core.internal.task.Guard;
import eplua.core.internal.task.InterruptibleDebugLib;
import eplua.core.internal.task.LuaBridge;
import eplua.core.internal.task.LuaTask;
import eplua.core.internal.task.Scheduler;
import eplua.core.spi.LuaModule;
import io.netty.channel.EventLoop;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An engine's Lua side, made on its loop thread: globals, registry, timers, scheduler, the Java->Lua bridge and the
 * installed modules. It is the {@link ModuleHost} its modules are installed through; it knows nothing of
 * {@link eplua.core.Engine}. Its parts are Lua-thread only unless they say otherwise.
 */
public final class LuaSide implements ModuleHost {
    private final String name;
    private final EventLoop loop;
    private final Reporter reporter;
    private final Liveness liveness;
    private final Globals globals;
    private final Guard guard;
    private final Registry registry;
    private final Timers timers;
    private final Scheduler scheduler;
    private final LuaBridge bridge;
    private final List<String> installed;
    private final Meter meter;
    private final Policy policy;
    private volatile Runnable closeItself = () -> {};
    private boolean shutDown;
    private final List<LuaValue> cleanups = new ArrayList<>();
    private boolean cleanupsStarted;
    private Runnable afterShutdown;   // set when the shutdown protocol starts
    private boolean graceEnded;
    private ScheduledFuture<?> graceTimer;

    /** Makes the Lua side and installs its modules. On {@code loop}'s thread. */
    LuaSide(EngineConfig c, String name, EngineLoop loop, FiberMode mode, Reporter reporter, Liveness liveness) {
        this.name = name;
        this.loop = loop;
        this.reporter = reporter;
        this.liveness = liveness;
        policy = new Policy(c.contain() != null ? c.contain() : ContainConfig.DEFAULT, Fibers.taskCap(mode));
        guard = new Guard(policy.budgets());
        guard.sandboxed(policy.sandboxed());
        liveness.runsWith(guard);
        Guard outer = guard.enter(); // the loop thread carries this engine's Lua while it installs (others' later)
        try {
            globals = JsePlatform.standardGlobals();
            // the debug hook counts instructions: without it close() cannot stop a spinning script, nor a budget it
            if (c.debug() || policy.sandboxed() || policy.budgets().instructions() != Long.MAX_VALUE)
                globals.load(new InterruptibleDebugLib(guard));
            globals.STDOUT = Console.printStream(reporter::out);
            globals.STDERR = Console.printStream(reporter::err);
            globals.STDIN = Console.inputStream(reporter::in);
            registry = new Registry(liveness::aliveChanged);
            timers = new Timers(loop, registry, this::drain);
            LuaTable taskMeta = new LuaTable();
            scheduler = new Scheduler(globals, loop, schedulerHost(loop), registry, timers, name, taskMeta, mode);
            bridge = new LuaBridge(scheduler, liveness::postInternal, registry);
            meter = new Meter(name, scheduler.mode(), loop, globals, globals.debuglib != null,
                    scheduler::suspendedCount, timers::pending, registry::openByKind, reporter::report);
            scheduler.meter(meter);
            globals.set("_eplua", new LuaTable());
            List<LuaModule> modules = new ArrayList<>();
            modules.add(new CoreModule(this, taskMeta));
            if (c.modules() != null) modules.addAll(c.modules());
            if (c.discover()) modules.addAll(ModuleLoader.discover(c.classLoader(), this::warn));
            Preloads preloads = Preloads.before(globals);
            installed = List.copyOf(Installer.installAll(this, modules));
            preloads.addNewTables(); // require("json"), require("net"), ... give the modules' tables
            meter.start();
            Logs.MODULES.log(System.Logger.Level.DEBUG,
                    () -> "eplua: engine " + name + " installed modules " + installed);
            if (policy.sandboxed()) Sandbox.apply(globals, policy.requireRoots());
        } finally {
            Guard.restore(outer);
        }
    }

    /** What the scheduler needs from the engine: its loop, reports, the guard, closing itself. */
    private Scheduler.Host schedulerHost(EngineLoop loop) {
        Executor loopJobs = job -> {
            if (!liveness.isClosed()) loop.execute(job);
        };
        return new Scheduler.Host() {
            @Override
            public Executor executor() {
                return loopJobs;
            }

            @Override
            public void reportUnobserved(LuaTask task, LuaError error) {
                reporter.report(LuaScriptException.from(error));
            }

            @Override
            public void warn(String message) {
                reporter.warn(message);
            }

            @Override
            public void nextTurn(Runnable job) {
                if (liveness.isClosed()) return;
                // scheduled from the loop itself, a due job waits for the loop's next turn, after its poll for I/O
                // (scheduled from another thread Netty would run it as a plain job, at once)
                try {
                    if (loop.inEventLoop()) loop.schedule(job, 0, TimeUnit.NANOSECONDS);
                    else loop.execute(() -> loop.schedule(job, 0, TimeUnit.NANOSECONDS));
                } catch (RejectedExecutionException e) {
                    // the loop is stopping
                }
            }

            @Override
            public Guard guard() {
                return guard;
            }

            @Override
            public void fatal(Throwable error) {
                reporter.report(LuaScriptException.from(new LuaError("engine " + name
                        + " closed itself after a Java error outside any task: " + error)));
                closeItself.run();
            }
        };
    }

    /**
     * Makes a trusted engine a sandboxed one (before it runs a script: a javax.script engine reads its profile
     * attribute at the first eval): the standard library loses what the sandbox denies, the budgets become the
     * sandbox's, host objects show their safe members only. Lua thread.
     */
    public void restrict() {
        if (policy.sandboxed()) return;
        policy.restrict();
        guard.budgets(policy.budgets());
        guard.sandboxed(true);
        if (globals.debuglib == null) globals.load(new InterruptibleDebugLib(guard)); // to count instructions
        Sandbox.apply(globals, policy.requireRoots());
    }

    private void drain() {
        scheduler.drain();
    }

    /** Ids of the installed modules, in install order. Any thread. */
    public List<String> installed() {
        return installed;
    }

    /** The engine's watch over its Lua: stops it at close, holds the budgets. Any thread. */
    Guard guard() {
        return guard;
    }

    /** What closes the engine when its Lua side meets an error it cannot go on after. */
    void closeItselfWith(Runnable close) {
        closeItself = close;
    }

    // ---- shutdown ------------------------------------------------------------------------------------------------

    /** {@code on_cleanup(fn)}: runs {@code fn} as a task when the engine starts closing (at once if it has). */
    @Override
    public void onCleanup(LuaValue fn) {
        if (cleanupsStarted) scheduler.spawn(fn, LuaValue.NONE);
        else cleanups.add(fn);
    }

    /**
     * The shutdown protocol, once {@code is_app_running()} reads false: the {@code on_cleanup} handlers start as
     * tasks, in the order they were registered; every task then has {@code graceMs} to finish; those left are then
     * cancelled as {@code task:cancel()} does (clean-ups run, owned resources close); then everything else ends and
     * closes ({@link #shutdown()}) and {@code then} runs. Loop thread, once.
     */
    void shutdownGracefully(long graceMs, Runnable then) {
        if (afterShutdown != null) return;
        afterShutdown = then;
        cleanupsStarted = true;
        for (LuaValue fn : cleanups) {
            try {
                scheduler.spawn(fn, LuaValue.NONE);
            } catch (RuntimeException e) {
                reporter.report(LuaScriptException.from(e));
            }
        }
        cleanups.clear();
        if (scheduler.unfinishedTasks() == 0 || graceMs == 0) {
            endGracePeriod();
            return;
        }
        scheduler.whenAllTasksFinished(this::endGracePeriod);
        graceTimer = loop.schedule(this::endGracePeriod, graceMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the grace period (every task finished, the time is up, or the closer stopped runaway Lua): cancels the
     * tasks left, lets them unwind, closes everything. Loop thread; idempotent.
     */
    void endGracePeriod() {
        if (graceEnded || afterShutdown == null) return;
        graceEnded = true;
        if (graceTimer != null) graceTimer.cancel(false);
        scheduler.whenAllTasksFinished(null);
        try {
            if (!shutDown) scheduler.cancelAll();
        } catch (RuntimeException | StackOverflowError e) {
            reporter.warn("eplua: while cancelling the tasks of " + name + ": " + e);
        } finally {
            shutdown();
            afterShutdown.run();
        }
    }

    /** Ends every task, timer and callback and closes every resource scripts opened. Idempotent. Loop thread. */
    void shutdown() {
        if (shutDown) return;
        shutDown = true;
        scheduler.close();
        timers.clear();
        bridge.clear();
        for (Throwable t : registry.closeAll()) reporter.warn("eplua: while closing " + name + ": " + t);
    }

    // ---- ModuleHost ----------------------------------------------------------------------------------------------

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
        return registry;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public Timers timers() {
        return timers;
    }

    @Override
    public LuaBridge bridge() {
        return bridge;
    }

    @Override
    public Meter meter() {
        return meter;
    }

    @Override
    public boolean isRunning() {
        return liveness.isRunning();
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public void report(Throwable failure) {
        reporter.report(LuaScriptException.from(failure));
    }

    @Override
    public void warn(String message) {
        Logs.MODULES.log(System.Logger.Level.WARNING, message); // and on the error writer, where scripts' users look
        reporter.warn(message);
    }
}
