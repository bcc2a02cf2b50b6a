package eplua.core.internal.task;

import eplua.core.FiberMode;
import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs an engine's tasks and coroutines on fibers on behalf of its loop thread: the one door to its parts, which
 * share this object's fields.
 *
 * <ul>
 * <li>{@link Baton}: which thread may run Lua now, and handing that turn over;
 * <li>{@link FiberPool}: the fibers (threads of the engine's {@link FiberMode}), idle ones kept for reuse;
 * <li>{@link RunQueue}: task starts and resumptions in order, and who runs next;
 * <li>{@link Tasks} and {@link Awaits}: spawn, suspend, wake, cancel; sleep, yield, await;
 * <li>{@link Coroutines}: Lua coroutines on fibers; {@link CallerRuns}: a Java caller running its own call.
 * </ul>
 */
public final class Scheduler {
    /** What the scheduler needs from its engine. */
    public interface Host {
        /** Queue a job on the loop (any thread). */
        Executor executor();
        /** A task failed and nobody awaited it. */
        void reportUnobserved(LuaTask task, LuaError error);

        /** A diagnostic for the host (a resource that failed to close). */
        default void warn(String message) {}

        /** Runs {@code job} on the loop after its next poll for I/O (and the timers then due). Any thread. */
        void nextTurn(Runnable job);
        /** The engine's watch over its Lua: close's stop and the budgets. */
        Guard guard();
        /** A Java error the engine cannot go on after: report it and close the engine (from any thread). */
        void fatal(Throwable error);
    }

    // shared by the parts
    final Globals globals;
    final LuaThread mainThread;
    final Host host;
    final Guard guard;
    final Registry registry;
    final Timers timers;
    final String name;
    final LuaValue taskMeta;
    final FiberMode mode;
    final Baton baton;
    final FiberPool pool;
    final RunQueue queue;
    final Tasks tasks;
    final Awaits awaits;
    final Coroutines coroutines;
    final CallerRuns callerRuns;
    volatile boolean closed;
    /** Why the engine closes itself, or null. */
    volatile LuaError fatal;

    /**
     * A scheduler for an engine on {@code loop}, its fibers in {@code mode} (already chosen by {@link Fibers#choose};
     * CARRIED falls back to VIRTUAL should the JDK refuse the carried factory). Fibers come from the loop's pool,
     * shared with the other engines of the loop.
     */
    public Scheduler(Globals globals, eplua.core.internal.loop.EngineLoop loop, Host host, Registry registry,
                     Timers timers, String name, LuaValue taskMeta, FiberMode mode) {
        this.globals = globals;
        this.mainThread = globals.running;
        this.host = host;
        this.guard = host.guard();
        this.registry = registry;
        this.timers = timers;
        this.name = name;
        this.taskMeta = taskMeta;
        LoopFibers fibers = LoopFibers.of(loop);
        if (mode == FiberMode.CARRIED && fibers.carrier == null) mode = FiberMode.VIRTUAL;
        this.mode = mode;
        guard.onLoop(fibers.loopThread);
        this.baton = new Baton(fibers.loopThread, name, mode != FiberMode.PLATFORM,
                mode == FiberMode.CARRIED ? fibers.carrier : null, loop.gate());
        this.pool = new FiberPool(this, mode, fibers);
        this.queue = new RunQueue(this);
        this.tasks = new Tasks(this);
        this.awaits = new Awaits(this);
        this.coroutines = new Coroutines(this);
        this.callerRuns = new CallerRuns(this);
    }

    /** The fiber mode this scheduler runs in. */
    public FiberMode mode() {
        return mode;
    }

    // ---- the baton ---------------------------------------------------------------------------------------------

    /** True if the calling thread may run Lua now (the loop thread between fibers, or the running fiber). */
    public boolean holdsBaton() {
        return baton.owner == Thread.currentThread();
    }

    /**
     * True if the calling thread runs Lua of an engine on this engine's loop (or is the loop): the loop waits for it,
     * so it must never block waiting for the loop.
     */
    public boolean callerRunsOnItsLoop() {
        return Thread.currentThread() == baton.loopThread || callerRunsAnEngineOfItsLoop();
    }

    /** True if the calling thread runs Lua of an engine on this engine's loop (a fiber, or a host thread lent). */
    boolean callerRunsAnEngineOfItsLoop() {
        return Guard.current().loopThread() == baton.loopThread;
    }

    /** The refusal of a blocking wait for this engine by a thread its loop waits for (it would deadlock). */
    public IllegalStateException sameLoop() {
        return new IllegalStateException("engine " + name + " shares its loop with the engine whose Lua waits for "
                + "it: a blocking wait would deadlock (post or spawn instead, or give one engine a loop "
                + "of its own)");
    }

    public void checkBaton() {
        baton.check();
    }

    // ---- tasks -------------------------------------------------------------------------------------------------

    /** Creates a task for {@code fn(args)} and queues its start. Baton holder only. */
    public LuaTask spawn(LuaValue fn, Varargs args) {
        return tasks.spawn(fn, args, null);
    }

    /**
     * As {@link #spawn(LuaValue, Varargs)}, as a child of the running task (Lua's {@code spawn}): cancelling that
     * task cancels this one too, while both are unfinished.
     */
    public LuaTask spawnChild(LuaValue fn, Varargs args) {
        return tasks.spawn(fn, args, tasks.current());
    }

    /**
     * {@code spawn(fn, ...)} of a script: as {@link #spawn(LuaValue, Varargs)}, but past the engine's task budget it
     * raises {@code "budget: tasks ..."} in the caller instead (timer callbacks and host calls are never refused).
     */
    public LuaTask spawnCounted(LuaValue fn, Varargs args) {
        int max = guard.budgets().maxTasks();
        if (tasks.spawned >= max)
            throw new LuaError("budget: tasks (" + tasks.spawned + " spawned tasks alive; Engine.Builder.maxTasks, "
                    + "-Deplua.maxTasks)");
        LuaTask t = tasks.spawn(fn, args, tasks.current()); // a child: cancelled with the running task
        t.spawnCounted = true;
        tasks.spawned++;
        return t;
    }

    /**
     * What a Lua timer does when due: starts the function that is its payload
     * ({@link Timers#add(double, double, boolean, java.util.function.Consumer, Object)}) as a task, unless the timer is
     * cleared before the task's turn comes. One action for every Lua timer of the engine.
     */
    public java.util.function.Consumer<Timers.Ticket> luaTimerAction() {
        return tasks::queueTimer;
    }

    /**
     * Holds a host's call ({@code t}: an eval, spawn or invoke) to the engine's wall-clock budget, if it has one: past
     * it the task gets a {@code "budget: time"} error where it runs or waits. Baton holder.
     */
    public void limitTime(LuaTask t) {
        long ms = guard.budgets().evalMillis();
        if (ms <= 0) return;
        t.deadline = System.nanoTime() + ms * 1_000_000L;
        armTimeLimit(t, ms);
    }

    private void armTimeLimit(LuaTask t, double ms) {
        t.budgetTimer = timers.add(ms, 0, true, ticket -> {
            t.budgetTimer = 0;
            if (!ticket.consume() || t.isFinished()) return;
            if (t.status == LuaTask.Status.SUSPENDED) {
                // waiting: wake it with the error (a running task meets it in the instruction hook)
                Object why = Guard.timeUpFor(t, guard.budgets());
                tasks.wake(t, t.waitToken, why);
            }
            if (!t.isFinished()) armTimeLimit(t, Math.max(1, (t.deadline - System.nanoTime()) / 1e6));
        });
    }

    /** A host's job on the loop (outside any task) begins: Lua it runs gets a full instructions budget. */
    public void hostSlice() {
        guard.newSlice(null);
    }

    /** The task whose code is running now, or null when Lua runs outside any task. */
    public LuaTask current() {
        return tasks.current();
    }

    /**
     * Cancels a task, structured: the tasks it spawned too; the operation it awaits is cancelled; its deferred
     * clean-ups run and the resources it owns are closed. A suspended one ends at its suspension point, a queued one
     * never starts.
     */
    public void cancel(LuaTask t) {
        tasks.cancel(t);
    }

    /** Registers a clean-up of the running task ({@code defer(fn)}); false when Lua runs outside any task. */
    public boolean defer(LuaValue fn) {
        return tasks.defer(fn);
    }

    /** The resources of the running task, for a resource tracked now; null outside any task. Baton holder only. */
    public Registry.Owned currentOwner() {
        LuaTask t = tasks.current();
        return t == null || t.isFinished() ? null : t.owned();
    }

    /** How many tasks are spawned and not finished. Baton holder only. */
    public int unfinishedTasks() {
        return tasks.unfinished();
    }

    /** Posts {@code job} to the loop each time the last unfinished task finishes (engine shutdown). Loop thread. */
    public void whenAllTasksFinished(Runnable job) {
        tasks.whenAllFinished(job);
    }

    /**
     * Shutdown after its grace period: cancels every unfinished task as {@code task:cancel()} does and lets them
     * unwind (their clean-ups run, their resources close). A clean-up that awaits is left suspended (the close that
     * follows ends it). Loop thread.
     */
    public void cancelAll() {
        baton.check();
        tasks.cancelAllGracefully();
        queue.drain();
    }

    /** Runs queued task starts and resumptions until the queue is empty (after a batch of timers). Loop thread. */
    public void drain() {
        queue.drain();
    }

    /**
     * Runs {@code fn(args)} as a task on the calling thread, a Java thread outside the engine that would otherwise
     * block waiting for the result (see {@link CallerRuns}). Returns its results, or throws its error.
     */
    public Varargs runOnCaller(LuaValue fn, Varargs args) {
        return callerRuns.run(fn, args);
    }

    /** What {@link #tryCall} returns when the engine is busy. */
    public static final Object BUSY = new Object();

    /**
     * Runs {@code job} right here on a host thread if the engine is idle (its loop blocked for I/O and no Lua
     * running): the caller takes the baton itself, no hop to the loop. Returns {@link #BUSY} if it is not.
     */
    public Object tryCall(java.util.concurrent.Callable<?> job) throws Exception {
        return callerRuns.tryCall(job);
    }

    // ---- suspension points (called by the running task, on a fiber) --------------------------------------------

    /** Sleeps the running task; never blocks the loop. */
    public Varargs sleep(double seconds) {
        return awaits.sleep(seconds);
    }

    /** Gives other tasks and I/O a turn: the task is queued behind what the loop has now. */
    public Varargs yieldTurn() {
        return awaits.yieldTurn();
    }

    /**
     * Awaits a future: resumes with {@code translate(value, error)}; a LuaError it returns is raised. With
     * {@code timeoutMs > 0}, a timeout resumes with {@code timeoutValue}.
     */
    public <T> Varargs await(CompletableFuture<T> future, double timeoutMs, Varargs timeoutValue,
                             BiFunction<T, Throwable, Object> translate) {
        return awaits.await(future, timeoutMs, timeoutValue, translate);
    }

    /** Awaits another task: its results, or its error raised here. */
    public Varargs awaitTask(LuaTask other, double timeoutMs) {
        return awaits.awaitTask(other, timeoutMs);
    }

    // ---- coroutines and fibers ---------------------------------------------------------------------------------

    /** A Lua coroutine ({@code coroutine.create}) carried by a fiber instead of LuaJ's thread per coroutine. */
    public Coroutine newCoroutine(LuaValue fn) {
        return new Coroutine(coroutines, globals, fn);
    }

    /** Counts and times this scheduler's turns from now on (see {@link eplua.core.internal.metrics.Meter}). */
    public void meter(eplua.core.internal.metrics.Meter m) {
        if (!eplua.core.internal.metrics.Meter.ON) return;
        queue.meter = m;
        tasks.meter = m;
    }

    /** Tasks waiting at a suspension point. Read racily from any thread (metrics). */
    public int suspendedCount() {
        return tasks.suspendedCount();
    }

    /** Fibers working for this engine, and the idle ones of its mode in its loop's pool. */
    public int fiberCount() {
        return pool.size() + pool.idleOnLoop();
    }

    /** Lets idle fibers beyond the pool's limit exit if idle for {@code minIdleNanos} (0: all). Lua thread. */
    public void trimIdle(long minIdleNanos) {
        baton.check();
        pool.trimIdle(minIdleNanos);
    }

    /** A fiber's body starts: it waits for its first turn; returns the engine it works for. */
    Scheduler enterFiber(Fiber f) {
        guard.bind();
        return awaitNextJob(f);
    }

    /**
     * A fiber between jobs: it waits until an engine of the loop (this one, or another that took it from the loop's
     * pool meanwhile) hands it its baton; returns that engine's scheduler, its guard bound to the fiber.
     */
    Scheduler awaitNextJob(Fiber f) {
        Thread me = Thread.currentThread();
        Scheduler s = this;
        while (true) {
            Scheduler next = f.scheduler;
            if (next != s) {
                next.guard.bind(); // library functions find the engine they run for through it
                s = next;
            }
            if (s.baton.await(me, f)) break;
        }
        f.idle = false;
        if (f.killed) throw new Unwind(true);
        return s;
    }

    /** A loop thread: the engine's jobs run there with its guard bound (see {@link Guard#current}). */
    public Guard guard() {
        return guard;
    }

    // ---- close -------------------------------------------------------------------------------------------------

    /**
     * A Java error outside any task, or a second one while a task's failure was recorded: Lua stops, the engine
     * closes itself, tasks not finished fail with the reason, and the host's error handler hears it. Any thread.
     */
    public void fatal(Throwable error) {
        if (fatal == null) fatal = new LuaError("engine closed: " + Failures.value(error).tojstring()
                + (error instanceof LuaError ? "" : " (" + error + ")"));
        guard.interrupt();
        try {
            host.fatal(error);
        } catch (Throwable ignored) {
            // reporting may fail for the same reason (out of memory); the close is already under way
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Ends every task and coroutine (their fibers unwind) and stops all fibers. Loop thread. */
    public void close() {
        baton.check();
        closed = true;
        baton.closed = true;
        tasks.cancelAll(); // every task ends here, on the loop: futures settle, the engine stops being alive
        // then all fibers unwind and exit at once, without the baton: no Lua runs any more, and a hand-off each
        // would make closing 100k suspended tasks take seconds
        List<Fiber> all = pool.killAll();
        // the idle fibers a burst left on the loop go now, not a second later: a pool of old-generation virtual
        // threads is slower to resume than new ones (and a platform thread each on Java 17)
        pool.trimIdle(0);
        globals.running = mainThread;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Fiber f : all) {
            if (f.lent) continue; // a Java caller running its own call: it goes on living, with an exception
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                f.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))); // on their way out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
