package eplua.core.internal.task;

/**
 * A carrier thread for Lua: runs a drain job (queued task starts) or one coroutine body, then waits in its loop's
 * pool ({@link LoopFibers}) for the next job, from whichever engine of the loop needs a fiber then. Its fields are
 * touched only by the baton holder of the engine it works for.
 */
final class Fiber implements Runnable {
    static final Object DRAIN = new Object();
    /** The fiber each thread is (null on loop threads and on host threads that run no call of their own). */
    private static final ThreadLocal<Fiber> CURRENT = new ThreadLocal<>();

    /** The engine it works for now; another engine of the loop may take it while it is idle ({@link #assign}). */
    volatile Scheduler scheduler;
    Thread thread;
    boolean carried;         // a virtual thread mounted on the loop thread (LoopCarrier)
    boolean lent;            // a Java caller's own thread, lent for one call (CallerRuns): not ours to join
    boolean nested;          // lent by a thread that runs another engine of the same loop: it must not wait
    Thread resumer;          // who gets the baton back when the current job ends (or a coroutine yields)
    Object job;              // DRAIN or a Coroutine
    volatile boolean killed; // engine close: unwind at the next suspension point and exit
    volatile boolean idle;   // in the pool, waiting for a job
    long idleSince;          // when it last went idle (trimming)
    Fiber prev, next;        // in its engine's ring of working fibers (FiberPool), null when not in it
    org.luaj.vm2.LuaThread luaThread; // globals.running for tasks run here: one Lua call stack per fiber, reused

    Fiber(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Tells the fiber to unwind and exit (engine close, or an idle one trimmed); it ends without a baton. */
    void kill() {
        killed = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /** The fiber the calling thread is, or null. */
    static Fiber current() {
        return CURRENT.get();
    }

    /** The fiber the calling thread is if it works for {@code s}, or null. */
    static Fiber currentOf(Scheduler s) {
        Fiber f = CURRENT.get();
        return f != null && f.scheduler == s ? f : null;
    }

    static void bindCurrent(Fiber f) {
        if (f == null) CURRENT.remove();
        else CURRENT.set(f);
    }

    /** An idle fiber now works for {@code s} (before {@code s} hands it the baton). */
    void assign(Scheduler s) {
        if (scheduler != s) luaThread = null; // a Lua call stack belongs to one engine's globals
        idle = false;
        scheduler = s;
    }

    @Override
    public void run() {
        CURRENT.set(this);
        Scheduler s = scheduler;
        try {
            s = s.enterFiber(this);
            while (!killed) {
                Object j = job;
                job = null;
                Thread back;
                if (j == DRAIN) {
                    s.queue.runStarts(this);
                    s.pool.idle(this);
                    back = s.queue.nextOwner(); // may be this fiber again, with a new job: then no switch at all
                } else {
                    back = s.coroutines.run((Coroutine) j, this);
                    s.pool.idle(this);
                }
                s.baton.pass(back);
                s = s.awaitNextJob(this); // from this engine or another of the loop
            }
        } catch (Unwind u) {
            // killed by close(): the Lua stack has unwound
        } catch (Throwable e) {
            // unwinding after close may trip over Lua state nobody uses any more; anything else (a Java error in the
            // scheduler, or a second one while a task's failure was recorded) leaves the engine in doubt: it closes
            if (!killed) s.fatal(e);
        } finally {
            s = scheduler;
            s.pool.exited(this, resumer);
        }
    }
}
