package eplua.core.internal.task;

import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs tasks and coroutines on fibers (carrier threads) on behalf of the loop thread.
 *
 * <p>One baton, {@link #owner}, says which thread may run Lua; every other thread of the engine is parked. Handing
 * the baton over is a volatile write plus an unpark, so all Lua still runs one step at a time, in loop order, with a
 * happens-before edge at every switch. The loop thread holds the baton whenever no fiber runs.
 *
 * <p>Cheap tasks: the loop queues task starts and hands the whole queue to one pooled fiber, which runs them one
 * after another. Only a task that suspends keeps its fiber; the next start takes another from the pool. Fibers are
 * virtual threads on Java 21+ and daemon platform threads otherwise. Virtual fibers are scheduled on the loop thread
 * itself where the JVM lets us ({@link LoopCarrier}): an unpark of a fiber then runs it right there, until it parks.
 */
public final class Scheduler {
    /** What the scheduler needs from its engine. */
    public interface Host {
        /** Queue a job on the loop (any thread). */
        Executor executor();
        /** A task failed and nobody awaited it. */
        void reportUnobserved(LuaTask task, LuaError error);
    }

    private static final int SPINS = Integer.getInteger("eplua.spins", 200);
    /** Idle fibers kept for reuse; more than this exit when their job ends. */
    private static final int MAX_IDLE = Integer.getInteger("eplua.idleFibers", 256);
    private static final boolean VIRTUAL = Fibers.virtual();
    /**
     * The loop thread waits for short Lua callbacks: spinning longer there saves an OS wake-up per callback. (With
     * fibers carried by the loop thread it only ever waits for a thread of another kind, a Java caller running its
     * task itself (invoke) or a fiber blocked inside Java code; spinning still pays off for the first.)
     */
    private static final int LOOP_SPINS = Integer.getInteger("eplua.loopSpins", 2000);
    private static final int VIRTUAL_SPINS = Integer.getInteger("eplua.virtualSpins", 0);
    /** Platform threads are a scarce OS resource (pid_max, native stacks): fail clearly instead of exhausting them. */
    private static final int MAX_FIBERS = Integer.getInteger("eplua.maxFibers", Fibers.virtual() ? 1_000_000 : 8192);

    private final Globals globals;
    private final Thread loopThread;
    private final Host host;
    private final Registry registry;
    private final Timers timers;
    private final String name;
    private final LuaValue taskMeta;
    private final LuaThread mainThread;

    private volatile Thread owner;
    private final ThreadLocal<Fiber> currentFiber = new ThreadLocal<>();
    /** Mounts virtual fibers on the loop thread (null: fibers are platform threads or on the JVM's scheduler). */
    private final LoopCarrier carrier;
    /** The carried fiber that got the baton last: the one running on the loop thread, if a carried one runs. */
    private Thread runningCarried;
    private final java.util.concurrent.ThreadFactory carriedFibers;
    private final ArrayDeque<LuaTask> runQueue = new ArrayDeque<>();
    private final ArrayDeque<Fiber> pool = new ArrayDeque<>();
    private final Set<Fiber> fibers = new LinkedHashSet<>();
    /** Suspended tasks, an intrusive list through LuaTask (no allocation or hashing per suspension). */
    private final LuaTask live = LuaTask.listHead();
    private int liveCount;
    private final Runnable drainTask = this::drain;
    private boolean drainScheduled;
    private boolean draining;
    private volatile boolean closed;
    private boolean trimScheduled;
    LuaTask current;

    public Scheduler(Globals globals, Thread loopThread, Host host, Registry registry, Timers timers, String name,
                     LuaValue taskMeta) {
        this.globals = globals;
        this.loopThread = loopThread;
        this.host = host;
        this.registry = registry;
        this.timers = timers;
        this.name = name;
        this.taskMeta = taskMeta;
        this.mainThread = globals.running;
        this.owner = loopThread;
        LoopCarrier c = Fibers.carried() ? new LoopCarrier(loopThread, host.executor(), currentFiber) : null;
        this.carriedFibers = c == null ? null : Fibers.carriedFactory(c);
        this.carrier = carriedFibers == null ? null : c;
    }

    /**
     * True if {@code t} is the calling thread and one of this engine's fibers mounted on the loop thread (which then
     * waits for it): Netty may treat it as its own thread.
     */
    public boolean isMountedFiber(Thread t) {
        // (Netty asks this on every step of a write: one field, no thread-local lookup. A stale value names a fiber
        // that is parked, and a parked fiber asks nothing; a miss only makes Netty queue the call as a task.)
        return t == runningCarried && t == Thread.currentThread();
    }

    /** True when this engine's fibers run on its loop thread (see {@link LoopCarrier}). */
    public boolean fibersOnLoop() {
        return carrier != null;
    }

    // ---- the baton ---------------------------------------------------------------------------------------------

    /** True if the calling thread may run Lua now (the loop thread between fibers, or the running fiber). */
    public boolean holdsBaton() {
        return owner == Thread.currentThread();
    }

    public void checkBaton() {
        if (owner != Thread.currentThread())
            throw new IllegalStateException("Lua touched from thread " + Thread.currentThread().getName()
                    + " which is not running the engine's Lua (engine " + name + ")");
    }

    /** Gives the baton to {@code target} and parks until it comes back. */
    void handTo(Thread target) {
        Thread me = Thread.currentThread();
        pass(target);
        Fiber f = me == loopThread ? null : currentFiber.get();
        awaitBaton(me, f);
        if (f != null && f.killed) throw new Unwind(true);
    }

    /** Gives the baton to {@code target} without waiting for it back. */
    private void pass(Thread target) {
        owner = target;
        // a new virtual fiber starts right here, already owning the baton: no park/unpark pair for it
        if (VIRTUAL && target != loopThread && target.getState() == Thread.State.NEW) target.start();
        else LockSupport.unpark(target);
    }

    private void awaitBaton(Thread me, Fiber f) {
        awaitOwner(me, f);
        if (f != null && f.carried) runningCarried = me;
    }

    private void awaitOwner(Thread me, Fiber f) {
        while (owner != me) {
            if (f == null && carrier != null) {
                carrier.runForeign(); // the loop carries fibers: one woken by another thread runs here
                if (owner == me) break;
            }
            if (f != null && f.killed) throw new Unwind(true); // engine closed: unwind and exit, baton untouched
            // spin a little after every wake-up: a pre-woken fiber (see prewake) is then ready when the baton comes
            // (a virtual fiber parks at once instead: that frees its carrier for the fiber it just handed to)
            int spins = f == null ? LOOP_SPINS : VIRTUAL ? VIRTUAL_SPINS : SPINS;
            for (int i = 0; i < spins && owner != me; i++) Thread.onSpinWait();
            if (owner != me) LockSupport.park(this);
        }
    }

    /**
     * Unparks the fiber of the task queued after the one about to run, so that the OS wake-up (slow for a parked
     * platform thread) overlaps with the current task instead of following it.
     */
    private void prewakeNext() {
        if (VIRTUAL) return; // waking a virtual thread is cheap: nothing to overlap
        java.util.Iterator<LuaTask> it = runQueue.iterator();
        if (!it.hasNext()) return;
        LuaTask next = it.next();
        if (next.status == LuaTask.Status.SUSPENDED && next.fiber != null && next.resumeValue != null)
            LockSupport.unpark(next.fiber.thread);
    }

    // ---- starting and resuming tasks ---------------------------------------------------------------------------

    /** Creates a task for {@code fn(args)} and queues its start. Baton holder only. */
    public LuaTask spawn(LuaValue fn, Varargs args) {
        return spawn(fn, args, null);
    }

    /** As {@link #spawn(LuaValue, Varargs)}, for a timer callback that is skipped if the timer is cleared first. */
    public LuaTask spawn(LuaValue fn, Varargs args, Timers.Ticket guard) {
        checkBaton();
        if (closed) throw new IllegalStateException("engine is closed");
        LuaTask t = new LuaTask(fn, args, taskMeta);
        t.guard = guard;
        if (guard == null) retain(t);
        enqueue(t);
        return t;
    }

    /** The task whose code is running now, or null when Lua runs outside any task. */
    public LuaTask current() {
        return owner == Thread.currentThread() ? current : null;
    }

    public int liveTasks() {
        return liveCount;
    }

    public int fiberCount() {
        return fibers.size();
    }

    private void enqueue(LuaTask t) {
        runQueue.add(t);
        if (!drainScheduled && !draining) {
            drainScheduled = true;
            host.executor().execute(drainTask);
        }
    }

    /** Runs queued task starts and resumptions until the queue is empty. Loop thread, holding the baton. */
    public void drain() {
        if (Thread.currentThread() != loopThread || owner != loopThread) {
            host.executor().execute(drainTask);
            return;
        }
        if (draining) return;
        if (closed) {
            runQueue.clear();
            return;
        }
        draining = true;
        try {
            LuaTask t;
            while ((t = runQueue.peek()) != null) {
                if (t.status == LuaTask.Status.NEW) {
                    Fiber f;
                    try {
                        f = acquire();
                    } catch (LuaError e) {
                        runQueue.poll(); // no thread for it: the task fails, the loop goes on
                        finish(t, LuaTask.Status.FAILED, null, e);
                        continue;
                    }
                    f.resumer = loopThread;
                    f.job = Fiber.DRAIN;
                    handTo(f.thread);
                } else {
                    runQueue.poll();
                    resumeSuspended(t);
                }
            }
        } finally {
            draining = false;
            drainScheduled = false;
            globals.running = mainThread;
            current = null;
        }
    }

    private void resumeSuspended(LuaTask t) {
        if (t.status != LuaTask.Status.SUSPENDED || t.resumeValue == null || t.fiber == null) return;
        Fiber f = t.fiber;
        t.fiber = null;
        current = t;
        globals.running = t.runningAtSuspend;
        prewakeNext();
        handTo(f.thread); // a root fiber hands back when its drain job ends; a coroutine fiber when the task suspends
        current = null;
        globals.running = mainThread;
    }

    /** Wakes a suspended task with {@code value} (Varargs to return, or a LuaError to raise at the suspension point) if {@code token} is still the one it waits with. Baton holder. */
    public void wake(LuaTask t, int token, Object value) {
        if (t.status != LuaTask.Status.SUSPENDED || t.waitToken != token || t.resumeValue != null) return;
        t.waitToken++;
        t.resumeValue = value == null ? LuaValue.NONE : value;
        Runnable w = t.onWake;
        t.onWake = null;
        if (w != null) w.run();
        if (t == current && t.fiber != null && t.fiber.thread == Thread.currentThread()) return; // woken while arming
        enqueue(t);
    }

    /** {@link #wake} from any thread: posted to the loop. */
    public void wakeLater(LuaTask t, int token, Object value) {
        host.executor().execute(() -> {
            if (!closed) wake(t, token, value);
        });
    }

    /**
     * Runs {@code fn(args)} as a task on the calling thread, a Java thread outside the engine that would otherwise
     * block waiting for the result: it borrows the baton from the loop and lends itself as the task's fiber. That
     * saves two thread wake-ups per call (a pooled fiber's and the caller's own). The task may suspend; the caller
     * then waits like any fiber. Returns its results, or throws its error.
     */
    public Varargs runOnCaller(LuaValue fn, Varargs args) {
        Thread me = Thread.currentThread();
        if (me == loopThread || currentFiber.get() != null) throw new IllegalStateException("not from the engine's own threads");
        Fiber f = new Fiber(this);
        f.thread = me;
        f.resumer = loopThread;
        LuaTask t = new LuaTask(fn, args, taskMeta);
        t.observed = true; // the caller gets the error
        boolean[] refused = {false};
        try {
            host.executor().execute(() -> {
                if (closed) {
                    refused[0] = true;
                    LockSupport.unpark(me);
                    return;
                }
                retain(t);
                fibers.add(f);
                handTo(me); // and wait until the baton comes back, from us or whoever runs after us
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("engine is closed", e);
        }
        currentFiber.set(f);
        try {
            // the loop answers within microseconds unless busy: spin first, then park with a timeout so that an
            // engine closed meanwhile cannot leave us waiting forever
            for (int i = 0; i < 20_000 && owner != me && !refused[0]; i++) Thread.onSpinWait();
            while (owner != me) {
                if (refused[0] || closed) throw new IllegalStateException("engine is closed");
                LockSupport.parkNanos(this, 10_000_000L);
            }
            runTask(t, f);
        } catch (Unwind u) {
            // the engine closed while the task was suspended
        } finally {
            currentFiber.remove();
            if (owner == me) {
                fibers.remove(f);
                Thread next = f.killed ? f.resumer : nextOwner();
                pass(next);
            }
        }
        switch (t.status) {
            case DONE: return t.result;
            case FAILED: throw t.error;
            default: throw new java.util.concurrent.CancellationException("task cancelled (engine closing?)");
        }
    }

    // ---- suspension points (called by the running task, on a fiber) --------------------------------------------

    /**
     * Suspends the running task until {@link #wake} is called with the token passed to {@code arm}. {@code arm}
     * starts whatever will wake the task (a timer, a future listener) and may set a cleanup for it.
     */
    public Varargs suspend(Arm arm) {
        LuaTask t = requireTask("suspend");
        Fiber f = currentFiber.get();
        if (t.cancelRequested) {
            t.cancelRequested = false;
            throw new Unwind(false);
        }
        int token = ++t.waitToken;
        t.status = LuaTask.Status.SUSPENDED;
        t.resumeValue = null;
        t.fiber = f;
        t.runningAtSuspend = globals.running;
        arm.arm(t, token);
        if (t.resumeValue == null) {
            current = null;
            t.linkAfter(live);
            liveCount++;
            try {
                handTo(nextOwner()); // whoever resumes us (the loop or another fiber) does so once wake() queued us
            } finally {
                if (!closed) { // after close, fibers unwind concurrently: leave shared state alone
                    t.unlink();
                    liveCount--;
                }
            }
        }
        t.status = LuaTask.Status.RUNNING;
        t.fiber = null;
        Object v = t.resumeValue;
        t.resumeValue = null;
        if (v instanceof Unwind) throw (Unwind) v;
        if (v instanceof LuaError) throw (LuaError) v;
        return (Varargs) v;
    }

    /** Starts what will wake a suspended task. */
    public interface Arm {
        void arm(LuaTask task, int token);
    }

    /** Sleeps the running task; never blocks the loop. */
    public Varargs sleep(double seconds) {
        return suspend(new Sleep(seconds * 1000d));
    }

    /** One object per sleep for arming, firing and cleaning up (sleeps are the most common suspension). */
    private final class Sleep implements Arm, java.util.function.Consumer<Timers.Ticket>, Runnable {
        private final double ms;
        private LuaTask task;
        private int token;
        private long timer;

        Sleep(double ms) {
            this.ms = ms;
        }

        @Override
        public void arm(LuaTask t, int token) {
            this.task = t;
            this.token = token;
            timer = timers.add(ms, 0, true, this);
            t.onWake = this;
        }

        @Override
        public void accept(Timers.Ticket ticket) { // due
            if (ticket.consume()) wake(task, token, LuaValue.NONE);
        }

        @Override
        public void run() { // woken some other way (cancel): the timer goes
            timers.cancel(timer);
        }
    }

    /** Gives other tasks and I/O a turn: the task is queued behind what the loop has now. */
    public Varargs yieldTurn() {
        return suspend((t, token) -> host.executor().execute(() -> wake(t, token, LuaValue.NONE)));
    }

    /**
     * Awaits a future: resumes with {@code onDone(value, error)}'s translation. With {@code timeoutMs > 0}, a timeout
     * resumes with {@code timeoutValue}.
     */
    public <T> Varargs await(CompletableFuture<T> future, double timeoutMs, Varargs timeoutValue,
                             java.util.function.BiFunction<T, Throwable, Object> translate) {
        if (future.isDone()) {
            // already settled: no switch at all
            T v = null;
            Throwable err = null;
            try {
                v = future.getNow(null);
            } catch (Throwable e) {
                err = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            }
            Object r = translate.apply(v, err);
            if (r instanceof LuaError) throw (LuaError) r;
            return (Varargs) r;
        }
        return suspend((t, token) -> {
            long timer = timeoutMs > 0 ? timers.add(timeoutMs, 0, true, ticket -> {
                if (ticket.consume()) wake(t, token, timeoutValue);
            }) : 0;
            t.onWake = timer != 0 ? () -> timers.cancel(timer) : null;
            future.whenComplete((v, e) -> {
                Throwable err = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                Object r;
                try {
                    r = translate.apply(v, err);
                } catch (Throwable x) {
                    r = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(String.valueOf(x)));
                }
                // completed by Lua's own thread (a Netty handler on the loop, say): queue it now, no extra hop
                if (holdsBaton() && !closed) wake(t, token, r);
                else wakeLater(t, token, r);
            });
        });
    }

    /** Awaits another task: its results, or its error raised here. */
    public Varargs awaitTask(LuaTask other, double timeoutMs) {
        other.observed = true;
        if (!other.isFinished()) {
            LuaTask me = requireTask("await");
            if (other == me) throw new LuaError("a task cannot await itself");
            Varargs timedOut = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("timeout"));
            Varargs r = suspend((t, token) -> {
                other.addAwaiter(t);
                long timer = timeoutMs > 0 ? timers.add(timeoutMs, 0, true, ticket -> {
                    if (ticket.consume()) wake(t, token, timedOut);
                }) : 0;
                t.onWake = () -> {
                    if (timer != 0) timers.cancel(timer);
                    if (other.awaiters != null) other.awaiters.remove(t);
                };
            });
            if (r == timedOut) return r;
        }
        switch (other.status) {
            case DONE: return other.result;
            case FAILED: throw other.error;
            case CANCELLED: throw new LuaError("cancelled");
            default: throw new LuaError("task not finished");
        }
    }

    /** Cancels a task: a suspended one ends at its suspension point, a queued one never starts. */
    public void cancel(LuaTask t) {
        if (t.cancelling || t.isFinished()) return;
        t.cancelling = true;
        switch (t.status) {
            case NEW:
                runQueue.remove(t);
                finish(t, LuaTask.Status.CANCELLED, null, null);
                break;
            case SUSPENDED:
                wake(t, t.waitToken, new Unwind(false));
                break;
            case RUNNING:
                if (t == current()) throw new Unwind(false);
                t.cancelRequested = true; // ends at its next suspension point

                break;
            default:
                break;
        }
    }

    private void retain(LuaTask t) {
        if (!t.counted) {
            t.counted = true;
            registry.retain(+1);
        }
    }

    private void release(LuaTask t) {
        if (t.counted) {
            t.counted = false;
            registry.retain(-1);
        }
    }

    private LuaTask requireTask(String what) {
        LuaTask t = current();
        if (t == null || currentFiber.get() == null)
            throw new LuaError("attempt to " + what + " outside a task (wrap the code in spawn)");
        return t;
    }

    // ---- fibers ------------------------------------------------------------------------------------------------

    private Fiber acquire() {
        Fiber f = pool.pollLast();
        if (f != null) {
            f.idle = false;
        } else {
            if (fibers.size() >= MAX_FIBERS)
                throw new LuaError("too many suspended tasks and coroutines (" + fibers.size() + "): each holds a "
                        + (Fibers.virtual() ? "virtual" : "platform") + " thread; raise -Deplua.maxFibers"
                        + (Fibers.virtual() ? "" : " or run on Java 21+, where they are virtual threads"));
            f = new Fiber(this);
            try {
                f.thread = Fibers.newThread(name, f, carriedFibers);
                f.carried = carriedFibers != null;
                if (!VIRTUAL) f.thread.start(); // a virtual one starts when first handed the baton (handTo)
            } catch (OutOfMemoryError | RuntimeException e) {
                // platform threads run out long before virtual ones (pid_max, native stacks)
                throw new LuaError("cannot start a thread for another coroutine (" + fibers.size()
                        + " alive): " + e.getMessage());
            }
            fibers.add(f);
        }
        return f;
    }


    /**
     * Who runs Lua next when a fiber stops (its task suspended or its drain job ended): the fiber of the next
     * queued resumption or start, handed the baton directly (one switch instead of two through the loop thread),
     * or the loop thread when the queue is empty. Sets up {@link #current} and {@code globals.running} for it.
     */
    Thread nextOwner() {
        LuaTask t;
        while (!closed && (t = runQueue.peek()) != null) {
            if (t.status == LuaTask.Status.NEW) {
                Fiber f;
                try {
                    f = acquire();
                } catch (LuaError e) {
                    break; // the loop's drain reports it
                }
                f.resumer = loopThread;
                f.job = Fiber.DRAIN;
                current = null;
                globals.running = mainThread;
                return f.thread;
            }
            runQueue.poll();
            if (t.status == LuaTask.Status.SUSPENDED && t.resumeValue != null && t.fiber != null) {
                Fiber f = t.fiber;
                t.fiber = null;
                current = t;
                globals.running = t.runningAtSuspend;
                prewakeNext();
                return f.thread;
            }
        }
        current = null;
        globals.running = mainThread;
        return loopThread;
    }

    /** Body of the drain job: run queued task starts on this fiber until the head is not a start. */
    void runStarts(Fiber self) {
        LuaTask t;
        while ((t = runQueue.peek()) != null && t.status == LuaTask.Status.NEW && !closed) {
            runQueue.poll();
            runTask(t, self);
        }
    }

    void runTask(LuaTask t, Fiber self) {
        if (t.guard != null) {
            // a timer callback is tracked by its timer until now, from here on by the task itself: the timer hands
            // its alive count over, so the engine never looks idle in between
            int r = t.guard.consumeKeepingAlive();
            if (r < 0) {
                t.status = LuaTask.Status.CANCELLED;
                return;
            }
            if (r == 1) t.counted = true;
            else retain(t);
        }
        t.status = LuaTask.Status.RUNNING;
        if (self.luaThread == null) {
            self.luaThread = new LuaThread(globals, t.fn);
            self.luaThread.state.status = LuaThread.STATUS_RUNNING;
        }
        t.luaThread = self.luaThread;
        current = t;
        globals.running = t.luaThread;
        try {
            Varargs r = t.fn.invoke(t.args);
            finish(t, LuaTask.Status.DONE, r, null);
        } catch (Unwind u) {
            if (u.kill) {
                // engine closing: close() settles suspended tasks; a running one (interrupted) is settled here
                if (!closed) finish(t, LuaTask.Status.CANCELLED, null, null);
                throw u;
            }
            finish(t, LuaTask.Status.CANCELLED, null, null);
        } catch (LuaError e) {
            self.luaThread.callstack = null; // start the next task with a clean Lua call stack
            finish(t, LuaTask.Status.FAILED, null, e);
        } catch (StackOverflowError e) {
            self.luaThread.callstack = null;
            finish(t, LuaTask.Status.FAILED, null, new LuaError("stack overflow"));
        } catch (RuntimeException e) {
            self.luaThread.callstack = null;
            finish(t, LuaTask.Status.FAILED, null, new LuaError(e));
        } finally {
            if (!closed) {
                current = null;
                globals.running = mainThread;
            }
            t.args = null;
        }
    }

    private void finish(LuaTask t, LuaTask.Status status, Varargs result, LuaError error) {
        t.status = status;
        t.result = result;
        t.error = error;
        t.fiber = null;
        t.runningAtSuspend = null;
        t.luaThread = null;
        if (t.awaiters != null) {
            for (LuaTask a : new ArrayList<>(t.awaiters)) wake(a, a.waitToken, LuaValue.NONE);
            t.awaiters = null;
        }
        t.settleFuture();
        if (status == LuaTask.Status.FAILED && !t.observed) host.reportUnobserved(t, error);
        release(t); // last: the engine must not look idle before the result and the report are out
    }

    // ---- user coroutines ---------------------------------------------------------------------------------------

    /** A Lua coroutine ({@code coroutine.create}) carried by a fiber instead of LuaJ's thread per coroutine. */
    public Coroutine newCoroutine(LuaValue fn) {
        return new Coroutine(this, globals, fn);
    }

    Varargs resumeCoroutine(Coroutine co, Varargs args) {
        checkBaton();
        if (co.status == LuaThread.STATUS_DEAD)
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume dead coroutine"));
        if (co.status != LuaThread.STATUS_SUSPENDED && co.status != LuaThread.STATUS_INITIAL)
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume non-suspended coroutine"));
        if (closed) return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("engine is closed"));
        LuaThread previous = globals.running;
        if (co.fiber == null) {
            co.fiber = acquire();
            co.fiber.job = co;
        }
        Fiber f = co.fiber;
        f.resumer = Thread.currentThread();
        co.transfer = args;
        co.setStatus(LuaThread.STATUS_RUNNING);
        if (previous != null) previous.state.status = LuaThread.STATUS_NORMAL;
        globals.running = co;
        try {
            handTo(f.thread);
        } finally {
            globals.running = previous;
            if (previous != null) previous.state.status = LuaThread.STATUS_RUNNING;
        }
        Varargs out = co.transfer;
        co.transfer = null;
        if (co.error != null) {
            LuaValue e = co.error;
            co.error = null;
            co.setStatus(LuaThread.STATUS_DEAD);
            return LuaValue.varargsOf(LuaValue.FALSE, e);
        }
        if (co.finished) {
            co.setStatus(LuaThread.STATUS_DEAD);
            return LuaValue.varargsOf(LuaValue.TRUE, out);
        }
        co.setStatus(LuaThread.STATUS_SUSPENDED);
        return LuaValue.varargsOf(LuaValue.TRUE, out);
    }

    Varargs yieldCoroutine(Varargs values) {
        Fiber f = currentFiber.get();
        LuaThread running = globals.running;
        if (f == null || !(running instanceof Coroutine) || ((Coroutine) running).fiber != f)
            throw new LuaError("attempt to yield from outside a coroutine");
        Coroutine co = (Coroutine) running;
        co.transfer = values;
        handTo(f.resumer);
        Varargs in = co.transfer;
        co.transfer = null;
        return in;
    }

    /** Body of a coroutine job on its fiber; returns the thread to hand back to. */
    Thread runCoroutine(Coroutine co, Fiber self) {
        Varargs args = co.transfer;
        co.transfer = null;
        try {
            co.transfer = co.fn.invoke(args);
        } catch (LuaError e) {
            LuaValue m = e.getMessageObject();
            co.error = m == null ? LuaValue.NIL : eplua.core.LuaScriptException.stripTraceback(m);
        } catch (StackOverflowError e) {
            co.error = LuaValue.valueOf("stack overflow");
        } catch (RuntimeException e) {
            co.error = LuaValue.valueOf(String.valueOf(e));
        }
        co.finished = true;
        co.fiber = null;
        return self.resumer;
    }

    // ---- close -------------------------------------------------------------------------------------------------

    public boolean isClosed() {
        return closed;
    }

    /** Ends every task and coroutine (their fibers unwind) and stops all fibers. Loop thread. */
    public void close() {
        checkBaton();
        closed = true;
        for (LuaTask t : new ArrayList<>(runQueue)) {
            if (t.status == LuaTask.Status.NEW) finish(t, LuaTask.Status.CANCELLED, null, null);
        }
        runQueue.clear();
        // every suspended task ends here, on the loop (futures settle, the engine stops being alive) ...
        List<LuaTask> suspended = new ArrayList<>(liveCount);
        for (LuaTask t = live.nextLive; t != live; t = t.nextLive) suspended.add(t);
        for (LuaTask t : suspended) finish(t, LuaTask.Status.CANCELLED, null, null);
        // ... then all fibers unwind and exit at once, without the baton: no Lua runs any more, and a hand-off
        // each would make closing 100k suspended tasks take seconds
        List<Fiber> all = new ArrayList<>(fibers);
        for (Fiber f : all) {
            f.killed = true;
            LockSupport.unpark(f.thread);
        }
        pool.clear();
        fibers.clear();
        globals.running = mainThread;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Fiber f : all) {
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

    void fiberExited(Fiber f, Thread handBackTo) {
        if (owner != Thread.currentThread()) return; // a pooled fiber told to exit by close(): holds nothing
        fibers.remove(f);
        pass(handBackTo);
    }

    void enterFiber(Fiber f) {
        currentFiber.set(f);
        awaitBaton(Thread.currentThread(), f);
        f.idle = false;
    }

    /**
     * A fiber finished its job: back to the pool. A pool grown past {@code MAX_IDLE} by a burst is trimmed a second
     * later (threads are costly to make again, so not at once), so idle threads do not stay forever.
     */
    void fiberIdle(Fiber f) {
        f.idle = true;
        f.idleSince = System.nanoTime();
        pool.addLast(f);
        if (pool.size() > MAX_IDLE) scheduleTrim();
    }

    private void scheduleTrim() {
        if (trimScheduled || closed) return;
        trimScheduled = true;
        timers.add(1000, 0, true, ticket -> {
            trimScheduled = false;
            if (!ticket.consume()) return;
            trimIdle(TimeUnit.SECONDS.toNanos(1));
            if (pool.size() > MAX_IDLE) scheduleTrim();
        });
    }

    /**
     * Lets idle fibers beyond {@code MAX_IDLE} exit, least recently used first, if they have been idle for at least
     * {@code minIdleNanos} (0: all of the excess). Lua thread.
     */
    public void trimIdle(long minIdleNanos) {
        checkBaton();
        long now = System.nanoTime();
        while (pool.size() > MAX_IDLE && now - pool.peekFirst().idleSince >= minIdleNanos) {
            Fiber f = pool.pollFirst();
            fibers.remove(f);
            f.killed = true; // it wakes, sees it is killed while idle, and ends without touching the baton
            LockSupport.unpark(f.thread);
        }
    }


}
