package eplua.core.internal.task;

import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's life: spawned, suspended at a suspension point, woken, cancelled, finished. A task keeps the engine alive
 * from spawn to finish. Touched only by the baton holder, except {@link #wakeLater}.
 */
final class Tasks {
    private final Scheduler s;
    // the parts used on every spawn and suspension, at hand
    private final Baton baton;
    private final RunQueue queue;
    private final Registry registry;
    /** Suspended tasks, an intrusive list through LuaTask (no allocation or hashing per suspension). */
    private final LuaTask live = LuaTask.listHead();
    private int liveCount;
    /** Tasks spawned and not finished; when it drops to 0, {@link #whenAllFinished} is posted (engine shutdown). */
    private int unfinished;
    private Runnable whenAllFinished;
    /** Counts and times turns (null before the engine sets it, or with -Deplua.metrics=false). */
    eplua.core.internal.metrics.Meter meter;
    /** Tasks spawned by scripts and not finished: held to the task budget. */
    int spawned;

    Tasks(Scheduler s) {
        this.s = s;
        this.baton = s.baton;
        this.queue = s.queue;
        this.registry = s.registry;
    }

    /**
     * Creates a task for {@code fn(args)} and queues its start ({@code parent}: the task it is a child of, cancelled
     * with it, or null).
     */
    LuaTask spawn(LuaValue fn, Varargs args, LuaTask parent) {
        baton.check();
        if (s.closed) throw new IllegalStateException("engine is closed");
        LuaTask t = new LuaTask(fn, args, s.taskMeta);
        retain(t);
        countIn(t);
        if (parent != null && !parent.isFinished()) t.linkChildOf(parent);
        if (meter != null) meter.spawned();
        queue.add(t);
        return t;
    }

    /**
     * A Lua timer is due ({@link Scheduler#luaTimerAction}): its ticket joins the run queue as it is, and its callback
     * runs without a task object until it needs one ({@link RunQueue#current()}; {@link #taskOf} makes one for a
     * ticket that must wait or be cancelled). So a million timers due at once wait as a million queue slots, not a
     * million tasks: less to keep alive, less for the garbage collector to copy.
     */
    void queueTimer(Timers.Ticket ticket) {
        baton.check();
        if (s.closed) throw new IllegalStateException("engine is closed");
        unfinished++; // handed to the task taskOf makes
        if (meter != null) meter.spawned();
        queue.add(ticket);
    }

    /** The task of a run queue entry: the entry itself, or the task made now for a due Lua timer's ticket. */
    LuaTask taskOf(Object entry) {
        if (entry instanceof LuaTask) return (LuaTask) entry;
        Timers.Ticket ticket = (Timers.Ticket) entry;
        LuaTask t = new LuaTask((LuaValue) ticket.payload(), LuaValue.NONE, s.taskMeta);
        t.guard = ticket;
        t.unfinishedCounted = true;
        return t;
    }

    /**
     * The task of a timer callback that started without one ({@link RunQueue#current()}): running, holding the
     * callback's alive and unfinished counts.
     */
    LuaTask adopt(Timers.Ticket ticket) {
        LuaTask t = taskOf(ticket);
        t.counted = true;
        t.status = LuaTask.Status.RUNNING;
        return t;
    }

    /** A timer callback that ran to its end without a task object: its counts go, as a finished task's would. */
    void finishUnseen() {
        if (meter != null) {
            meter.paused();
            meter.finished();
        }
        uncount();
        registry.retain(-1);
    }

    /** Counts a task as unfinished until {@link #finish} (or {@link #skip}). */
    void countIn(LuaTask t) {
        if (!t.unfinishedCounted) {
            t.unfinishedCounted = true;
            unfinished++;
        }
    }

    private void countOut(LuaTask t) {
        if (t.unfinishedCounted) {
            t.unfinishedCounted = false;
            uncount();
        }
    }

    /** One unfinished task (or queued timer callback) less. */
    void uncount() {
        if (--unfinished == 0 && whenAllFinished != null) s.host.executor().execute(whenAllFinished);
    }

    /** A timer's task that never runs (its timer was cleared first). */
    void skip(LuaTask t) {
        t.status = LuaTask.Status.CANCELLED;
        t.unlinkFamily();
        countOut(t);
    }

    /** How many tasks are spawned and not finished. */
    int unfinished() {
        return unfinished;
    }

    /** {@code job} is posted to the loop each time the last unfinished task finishes (null: nothing). */
    void whenAllFinished(Runnable job) {
        whenAllFinished = job;
    }

    /**
     * Registers {@code fn} as a clean-up of the running task, run when it ends in any way, last registered first.
     * False when Lua runs outside any task.
     */
    boolean defer(LuaValue fn) {
        LuaTask t = current();
        if (t == null) return false;
        if (t.defers == null) t.defers = new ArrayList<>(2);
        t.defers.add(fn);
        return true;
    }

    /**
     * Runs the task's deferred clean-ups, last registered first, each in protected mode: an error is reported, not
     * raised. They may await. Returns true if the task was cancelled while they ran. Its fiber, holding the baton.
     */
    boolean runDefers(LuaTask t) {
        boolean cancelled = false;
        List<LuaValue> fns;
        while ((fns = t.defers) != null) {
            t.defers = null;
            for (int i = fns.size() - 1; i >= 0; i--) {
                try {
                    fns.get(i).call();
                } catch (Unwind u) {
                    if (u.kill) throw u;
                    cancelled = true; // cancelled during its clean-up: that clean-up ends, the others still run
                } catch (LuaError e) {
                    s.host.reportUnobserved(t, e);
                } catch (StackOverflowError e) {
                    s.host.reportUnobserved(t, new LuaError("stack overflow"));
                } catch (RuntimeException e) {
                    s.host.reportUnobserved(t, new LuaError(e));
                }
            }
        }
        return cancelled;
    }

    /** The task whose code is running now, or null when Lua runs outside any task. */
    LuaTask current() {
        return baton.owner == Thread.currentThread() ? queue.current() : null;
    }

    /** The running task, or a Lua error naming {@code what} when Lua runs outside any task. */
    LuaTask require(String what) {
        LuaTask t = current();
        if (t == null || Fiber.currentOf(s) == null)
            throw new LuaError("attempt to " + what + " outside a task (wrap the code in spawn)");
        return t;
    }

    /** Starts what will wake a suspended task: a timer, a future listener. */
    interface Arm {
        void arm(LuaTask task, int token);
    }

    /**
     * Suspends the running task until {@link #wake} is called with the token passed to {@code arm}. {@code arm}
     * starts whatever will wake the task (a timer, a future listener) and may set a cleanup for it.
     */
    Varargs suspend(Arm arm) {
        LuaTask t = require("suspend");
        Fiber f = Fiber.currentOf(s);
        if (f.nested)
            throw new LuaError("attempt to wait in a call made synchronously from another engine on the same loop "
                    + "(post or spawn there instead, or give one engine a loop of its own)");
        if (t.cancelRequested) {
            t.cancelRequested = false;
            throw new Unwind(false);
        }
        int token = ++t.waitToken;
        t.status = LuaTask.Status.SUSPENDED;
        t.resumeValue = null;
        t.onCancel = null;
        t.fiber = f;
        t.runningAtSuspend = s.globals.running;
        arm.arm(t, token);
        if (t.resumeValue == null) {
            queue.current = null;
            t.linkAfter(live);
            liveCount++;
            eplua.core.internal.metrics.Meter m = meter;
            if (m != null) m.paused();
            try {
                baton.handTo(queue.nextOwner()); // whoever resumes us does so once wake() queued us
                if (m != null) m.resumed(t.fn);
                s.guard.newSlice(t);
            } finally {
                if (!s.closed) { // after close, fibers unwind concurrently: leave shared state alone
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

    /**
     * Wakes a suspended task with {@code value} (Varargs to return, or a LuaError to raise at the suspension point)
     * if {@code token} is still the one it waits with.
     */
    void wake(LuaTask t, int token, Object value) {
        if (t.status != LuaTask.Status.SUSPENDED || t.waitToken != token || t.resumeValue != null) return;
        t.waitToken++;
        t.resumeValue = value == null ? LuaValue.NONE : value;
        t.onCancel = null;
        Runnable w = t.onWake;
        t.onWake = null;
        if (w != null) w.run();
        if (t == queue.current && t.fiber != null && t.fiber.thread == Thread.currentThread()) return; // arming
        queue.add(t);
    }

    /** {@link #wake} from any thread: posted to the loop. */
    void wakeLater(LuaTask t, int token, Object value) {
        s.host.executor().execute(() -> {
            if (!s.closed) wake(t, token, value);
        });
    }

    /**
     * Cancels a task, structured: first the tasks it spawned that are still unfinished (recursively), then the task
     * itself: a queued one never starts; a suspended one ends at its suspension point, and the operation it awaits
     * is cancelled ({@code future.cancel(false)}) once it is woken. When it has unwound, its deferred clean-ups run
     * and the resources it still owns are closed (see {@link #finish}).
     */
    void cancel(LuaTask t) {
        if (t.cancelling || t.isFinished()) return;
        t.cancelling = true;
        if (t.firstChild != null) for (LuaTask c : t.children()) cancel(c);
        // closing after a Java error outside any task: the tasks fail with that reason instead (reported once)
        LuaError why = s.fatal;
        if (why != null) t.observed = true;
        switch (t.status) {
            case NEW:
                queue.remove(t);
                if (t.guard != null) t.guard.consume(); // its timer lets the engine go, as if the task had run
                finishClosed(t);
                break;
            case SUSPENDED:
                Unwind end = why != null ? new Unwind(why) : new Unwind(false);
                if (t.resumeValue != null) {
                    // already woken, not yet resumed: it resumes into the cancellation instead
                    if (!(t.resumeValue instanceof Unwind)) t.resumeValue = end;
                    break;
                }
                Runnable abort = t.onCancel;
                wake(t, t.waitToken, end);
                if (abort != null) abort.run();
                break;
            case RUNNING:
                if (t == current()) throw new Unwind(false);
                t.cancelRequested = true; // ends at its next suspension point
                break;
            default:
                break;
        }
    }

    void retain(LuaTask t) {
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

    /**
     * A task ends: a cancelled one closes the resources it still owns, any other leaves them open and owned by no
     * task; its unfinished children become tasks of their own; awaiters wake; its future settles.
     */
    void finish(LuaTask t, LuaTask.Status status, Varargs result, LuaError error) {
        if (meter != null) {
            if (t == queue.current) meter.paused(); // its last turn ends before anyone can see it finished
            meter.finished();
        }
        if (t.spawnCounted) {
            t.spawnCounted = false;
            spawned--;
        }
        if (t.budgetTimer != 0) {
            s.timers.cancel(t.budgetTimer);
            t.budgetTimer = 0;
        }
        t.status = status;
        t.result = result;
        t.error = error;
        t.fiber = null;
        t.runningAtSuspend = null;
        t.onCancel = null;
        t.defers = null;
        if (t.parent != null || t.firstChild != null) t.unlinkFamily();
        if (t.owned != null) {
            if (status == LuaTask.Status.CANCELLED) {
                for (Throwable x : t.owned.closeAll()) s.host.warn("eplua: closing a resource of a cancelled task: " + x);
            } else {
                t.owned.disownAll();
            }
            t.owned = null;
        }
        if (t.awaiters != null) {
            for (LuaTask a : new ArrayList<>(t.awaiters)) wake(a, a.waitToken, LuaValue.NONE);
            t.awaiters = null;
        }
        t.settleFuture();
        if (status == LuaTask.Status.FAILED && !t.observed) s.host.reportUnobserved(t, error);
        countOut(t);
        release(t); // last: the engine must not look idle before the result and the report are out
    }

    /**
     * Shutdown after the grace period: cancels every unfinished task as {@code task:cancel()} does. Suspended ones
     * unwind (clean-ups, resources) when the run queue drains next. Loop thread.
     */
    void cancelAllGracefully() {
        for (LuaTask t : queue.unstarted()) cancel(t);
        List<LuaTask> suspended = new ArrayList<>(liveCount);
        for (LuaTask t = live.nextLive; t != live; t = t.nextLive) suspended.add(t);
        for (LuaTask t : suspended) cancel(t);
    }

    /** Tasks waiting at a suspension point (read racily from any thread, for metrics). */
    int suspendedCount() {
        return liveCount;
    }

    /** Engine close: every task that has not finished ends here, cancelled (futures settle, the engine idles). */
    void cancelAll() {
        for (LuaTask t : queue.unstarted()) finishClosed(t);
        queue.clear();
        List<LuaTask> suspended = new ArrayList<>(liveCount);
        for (LuaTask t = live.nextLive; t != live; t = t.nextLive) suspended.add(t);
        for (LuaTask t : suspended) finishClosed(t);
    }

    /** A task the engine's close ends: cancelled, or failed with the reason when the engine closed itself. */
    void finishClosed(LuaTask t) {
        LuaError why = s.fatal;
        if (why == null) {
            finish(t, LuaTask.Status.CANCELLED, null, null);
            return;
        }
        t.observed = true; // the reason is reported once, by the engine
        finish(t, LuaTask.Status.FAILED, null, why);
    }
}
