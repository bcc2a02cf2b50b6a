package eplua.core.internal.task;

/**
 * A carrier thread for Lua: runs a drain job (queued task starts) or one coroutine body, then waits in its
 * scheduler's pool for the next job. Its fields are touched only by the baton holder.
 */
final class Fiber implements Runnable {
    static final Object DRAIN = new Object();

    final Scheduler scheduler;
    Thread thread;
    boolean carried;         // a virtual thread mounted on the loop thread (LoopCarrier)
    boolean lent;            // a Java caller's own thread, lent for one call (CallerRuns): not ours to join
    Thread resumer;          // who gets the baton back when the current job ends (or a coroutine yields)
    Object job;              // DRAIN or a Coroutine
    volatile boolean killed; // engine close: unwind at the next suspension point and exit
    volatile boolean idle;   // in the pool, waiting for a job
    long idleSince;          // when it last went idle (trimming)
    org.luaj.vm2.LuaThread luaThread; // globals.running for tasks run here: one Lua call stack per fiber, reused

    Fiber(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void run() {
        Scheduler s = scheduler;
        s.guard.bind();
        try {
            s.enterFiber(this);
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
                s.baton.handTo(back);
            }
        } catch (Unwind u) {
            // killed by close(): the Lua stack has unwound
        } catch (Throwable e) {
            // unwinding after close may trip over Lua state nobody uses any more; anything else (a Java error in the
            // scheduler, or a second one while a task's failure was recorded) leaves the engine in doubt: it closes
            if (!killed) s.fatal(e);
        } finally {
            s.pool.exited(this, resumer);
        }
    }
}
