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
    /** Tasks spawned by scripts and not finished: held to the task budget. */
    int spawned;

    Tasks(Scheduler s) {
        this.s = s;
        this.baton = s.baton;
        this.queue = s.queue;
        this.registry = s.registry;
    }

    /** Creates a task for {@code fn(args)} and queues its start ({@code guard}: the timer it runs for, or null). */
    LuaTask spawn(LuaValue fn, Varargs args, Timers.Ticket guard) {
        baton.check();
        if (s.closed) throw new IllegalStateException("engine is closed");
        LuaTask t = new LuaTask(fn, args, s.taskMeta);
        t.guard = guard;
        if (guard == null) retain(t);
        queue.add(t);
        return t;
    }

    /** The task whose code is running now, or null when Lua runs outside any task. */
    LuaTask current() {
        return baton.owner == Thread.currentThread() ? queue.current : null;
    }

    /** The running task, or a Lua error naming {@code what} when Lua runs outside any task. */
    LuaTask require(String what) {
        LuaTask t = current();
        if (t == null || baton.fiberOfThread.get() == null)
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
        Fiber f = baton.fiberOfThread.get();
        if (t.cancelRequested) {
            t.cancelRequested = false;
            throw new Unwind(false);
        }
        int token = ++t.waitToken;
        t.status = LuaTask.Status.SUSPENDED;
        t.resumeValue = null;
        t.fiber = f;
        t.runningAtSuspend = s.globals.running;
        arm.arm(t, token);
        if (t.resumeValue == null) {
            queue.current = null;
            t.linkAfter(live);
            liveCount++;
            try {
                baton.handTo(queue.nextOwner()); // whoever resumes us does so once wake() queued us
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

    /** Cancels a task: a suspended one ends at its suspension point, a queued one never starts. */
    void cancel(LuaTask t) {
        if (t.cancelling || t.isFinished()) return;
        t.cancelling = true;
        switch (t.status) {
            case NEW:
                queue.remove(t);
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

    void finish(LuaTask t, LuaTask.Status status, Varargs result, LuaError error) {
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
        t.luaThread = null;
        if (t.awaiters != null) {
            for (LuaTask a : new ArrayList<>(t.awaiters)) wake(a, a.waitToken, LuaValue.NONE);
            t.awaiters = null;
        }
        t.settleFuture();
        if (status == LuaTask.Status.FAILED && !t.observed) s.host.reportUnobserved(t, error);
        release(t); // last: the engine must not look idle before the result and the report are out
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
