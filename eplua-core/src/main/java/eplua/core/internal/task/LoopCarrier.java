package eplua.core.internal.task;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler of one loop's virtual fibers (Java 21+), whichever engine of the loop they work for: it mounts them
 * on the loop's own thread, so that handing the baton between the loop and a fiber, or between fibers, is a
 * continuation switch on one OS thread (well under a microsecond) instead of an OS wake-up of another thread.
 *
 * <p>A fiber made runnable by the loop thread runs at once, inside the call that made it runnable, until it parks
 * again; one made runnable by a fiber (which runs on the loop thread too) is queued and runs when that fiber parks.
 * Only a wake-up from a foreign thread (a Java caller lending itself as a fiber, a timed park inside Java code) goes
 * through a concurrent queue that the loop drains.
 */
final class LoopCarrier implements Executor {
    private final Thread loop;
    private final Executor loopTasks;
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    private final Runnable runForeign = this::runForeign;
    private boolean mounting; // loop thread only: a fiber is mounted, or about to be
    /** The carried fiber that got a baton last: the one running on the loop thread, if a carried one runs. */
    private Thread running;

    LoopCarrier(Thread loop, Executor loopTasks) {
        this.loop = loop;
        this.loopTasks = loopTasks;
    }

    @Override
    public void execute(Runnable continuation) {
        Thread me = Thread.currentThread();
        if (me == loop) {
            if (mounting) local.add(continuation);
            else mount(continuation);
            return;
        }
        Fiber f = Fiber.current();
        if (f != null && f.thread == me && f.carried) {
            // one of the loop's fibers: it is mounted on the loop thread right now
            local.add(continuation);
            return;
        }
        foreign.add(continuation);
        LockSupport.unpark(loop); // the loop may be parked waiting for a baton ...
        try {
            loopTasks.execute(runForeign); // ... or in its selector
        } catch (RejectedExecutionException e) {
            // loop stopped: its fibers are all unwound, nothing left to run
        }
    }

    /** Runs fibers woken by foreign threads. Loop thread, no fiber mounted. */
    void runForeign() {
        Runnable r;
        while ((r = foreign.poll()) != null) mount(r);
    }

    /** A carried fiber got its baton: it runs on the loop thread now. */
    void mounted(Thread fiber) {
        running = fiber;
    }

    /** True if {@code t} is the calling thread and the carried fiber running on the loop thread now. */
    boolean isMounted(Thread t) {
        // (Netty asks this on every step of a write: one field, no thread-local lookup. A stale value names a fiber
        // that is parked, and a parked fiber asks nothing; a miss only makes Netty queue the call as a task.)
        return t == running && t == Thread.currentThread();
    }

    private void mount(Runnable continuation) {
        assert Thread.currentThread() == loop && !mounting;
        mounting = true;
        try {
            continuation.run();
            Runnable next;
            while ((next = local.poll()) != null) next.run();
        } finally {
            mounting = false;
        }
    }
}
