package eplua.core.internal.task;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A Java thread outside the engine that would otherwise block waiting for a Lua call's result runs the call itself:
 * it borrows the baton from the loop and lends itself as the task's fiber. That saves two thread wake-ups per call (a
 * pooled fiber's and the caller's own): the hot path of {@code invoke} from a host thread.
 */
final class CallerRuns {
    private final Scheduler s;

    CallerRuns(Scheduler s) {
        this.s = s;
    }

    /**
     * Runs {@code job} on the calling host thread if the engine is idle (see {@link Baton#tryEnter}) and returns its
     * result; {@link Scheduler#BUSY} if it is not (then nothing ran).
     */
    Object tryCall(java.util.concurrent.Callable<?> job) throws Exception {
        Baton baton = s.baton;
        if (s.closed || !baton.tryEnter(s.callerRunsAnEngineOfItsLoop())) return Scheduler.BUSY;
        Guard outer = s.guard.enter();
        Error fatal = null;
        try {
            return job.call();
        } catch (Error e) {
            fatal = e; // a Java error outside any task, as on the loop: the engine closes itself
            throw e;
        } finally {
            Guard.restore(outer);
            baton.pass(s.queue.nextOwner());
            if (fatal != null) s.fatal(fatal);
        }
    }

    /**
     * Runs {@code fn(args)} as a task on the calling thread. The task may suspend; the caller then waits like any
     * fiber. Returns its results, or throws its error.
     */
    Varargs run(LuaValue fn, Varargs args) {
        Thread me = Thread.currentThread();
        Baton baton = s.baton;
        if (me == baton.loopThread || Fiber.currentOf(s) != null)
            throw new IllegalStateException("not from the engine's own threads");
        boolean nested = s.callerRunsAnEngineOfItsLoop();
        Fiber outer = Fiber.current();
        Fiber f = new Fiber(s);
        f.thread = me;
        f.lent = true;
        f.nested = nested;
        f.resumer = baton.loopThread;
        LuaTask t = new LuaTask(fn, args, s.taskMeta);
        t.observed = true; // the caller gets the error
        if (!s.closed && baton.tryEnter(nested)) {
            // the engine is idle: run right here, no hop to the loop and no wake-up
            admit(t, f);
            try {
                return runHolding(t, f, me);
            } finally {
                Fiber.bindCurrent(outer);
            }
        }
        if (nested) throw s.sameLoop();
        boolean[] refused = {false};
        try {
            s.host.executor().execute(() -> {
                if (s.closed) {
                    refused[0] = true;
                    LockSupport.unpark(me);
                    return;
                }
                admit(t, f);
                baton.handTo(me); // and wait until the baton comes back, from us or whoever runs after us
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("engine is closed", e);
        }
        Fiber.bindCurrent(f);
        try {
            // the loop answers within microseconds unless busy: spin first, then park with a timeout so that an
            // engine closed meanwhile cannot leave us waiting forever
            for (int i = 0; i < 20_000 && baton.owner != me && !refused[0]; i++) Thread.onSpinWait();
            while (baton.owner != me) {
                if (refused[0] || s.closed) throw new IllegalStateException("engine is closed");
                LockSupport.parkNanos(this, 10_000_000L);
            }
        } catch (RuntimeException e) {
            Fiber.bindCurrent(outer);
            throw e;
        }
        try {
            return runHolding(t, f, me);
        } finally {
            Fiber.bindCurrent(outer);
        }
    }


    /** The caller's task joins the engine's books (alive count, task count, time budget) and its fiber the pool. */
    private void admit(LuaTask t, Fiber f) {
        s.tasks.retain(t);
        s.tasks.countIn(t);
        s.limitTime(t);
        s.pool.addLent(f);
    }

    /** Runs the caller's task on its own thread, which holds the baton; then gives the baton on. */
    private Varargs runHolding(LuaTask t, Fiber f, Thread me) {
        Baton baton = s.baton;
        Fiber.bindCurrent(f);
        Guard outer = s.guard.enter();
        try {
            s.queue.runTask(t, f);
        } catch (Unwind u) {
            // the engine closed while the task was suspended
        } catch (Error e) {
            s.fatal(e); // a second error while the task's own was recorded: the engine is in doubt
            throw e;
        } finally {
            Guard.restore(outer);
            if (baton.owner == me) {
                s.pool.removeLent(f);
                baton.pass(f.killed ? f.resumer : s.queue.nextOwner());
            }
        }
        switch (t.status) {
            case DONE: return t.result;
            case FAILED: throw t.error;
            default: throw new CancellationException("task cancelled (engine closing?)");
        }
    }
}
