package eplua.core.internal.task;

import eplua.core.FiberMode;
import org.luaj.vm2.LuaError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's fibers: every one alive, and the idle ones kept for reuse. Only a task that suspends keeps its fiber;
 * the next start takes another from the pool. Touched only by the baton holder.
 */
final class FiberPool {
    /** Idle fibers kept for reuse; more than this exit when their job ends. */
    private static final int MAX_IDLE = Integer.getInteger("eplua.idleFibers", 256);
    /** Fibers beyond the task budget, for what is not a spawn (timer callbacks, coroutines, host calls). */
    private static final int FIBER_HEADROOM = 1024;

    private final Scheduler s;
    private final FiberMode mode;
    /** Makes carried fibers (null unless the mode is CARRIED). */
    private final ThreadFactory carried;
    /** Platform threads are a scarce OS resource (pid_max, native stacks): fail clearly instead of exhausting them. */
    private final int maxFibers;
    private final ArrayDeque<Fiber> idle = new ArrayDeque<>();
    private final Set<Fiber> all = new LinkedHashSet<>();
    private boolean trimScheduled;

    FiberPool(Scheduler s, FiberMode mode, ThreadFactory carried) {
        this.s = s;
        this.mode = mode;
        this.carried = carried;
        // above the task budget: timer callbacks, coroutines and host calls still get a fiber when spawn refuses
        this.maxFibers = Integer.getInteger("eplua.maxFibers",
                Math.max(Fibers.taskCap(mode), s.guard.budgets().maxTasks()) + FIBER_HEADROOM);
    }

    int size() {
        return all.size();
    }

    /** An idle fiber, or a new one. Throws a LuaError when no thread can be had. */
    Fiber acquire() {
        Fiber f = tryAcquire();
        if (f != null) return f;
        boolean platform = mode == FiberMode.PLATFORM;
        throw new LuaError("too many suspended tasks and coroutines (" + all.size() + "): each holds a "
                    + (platform ? "platform" : "virtual") + " thread; raise -Deplua.maxFibers"
                    + (platform ? " or run on Java 21+, where they are virtual threads" : ""));
    }

    /** An idle fiber, or a new one; null when all the engine may have are busy. Throws a LuaError when no thread
     * can be made. */
    Fiber tryAcquire() {
        Fiber f = idle.pollLast();
        if (f != null) {
            f.idle = false;
            return f;
        }
        if (all.size() >= maxFibers) return null;
        boolean platform = mode == FiberMode.PLATFORM;
        f = new Fiber(s);
        try {
            f.thread = Fibers.newThread(s.name, f, mode, carried);
            f.carried = carried != null;
            if (platform) f.thread.start(); // a virtual one starts when first handed the baton (Baton.pass)
        } catch (OutOfMemoryError | RuntimeException e) {
            // platform threads run out long before virtual ones (pid_max, native stacks)
            throw new LuaError("cannot start a thread for another coroutine (" + all.size() + " alive): "
                    + e.getMessage());
        }
        all.add(f);
        return f;
    }

    /** A Java caller lending itself as a fiber (see {@link CallerRuns}) joins and leaves the books. */
    void addLent(Fiber f) {
        all.add(f);
    }

    void removeLent(Fiber f) {
        all.remove(f);
    }

    /**
     * A fiber finished its job: back to the pool. A pool grown past {@code MAX_IDLE} by a burst is trimmed a second
     * later (threads are costly to make again, so not at once), so idle threads do not stay forever.
     */
    void idle(Fiber f) {
        f.idle = true;
        f.idleSince = System.nanoTime();
        idle.addLast(f);
        if (idle.size() > MAX_IDLE) scheduleTrim();
        s.queue.fiberFreed();
    }

    /** A fiber's body ended (killed, or unwound by close); it hands the baton on if it holds it. */
    void exited(Fiber f, Thread handBackTo) {
        if (s.baton.owner != Thread.currentThread()) return; // a pooled fiber told to exit by close(): holds nothing
        all.remove(f);
        s.baton.pass(handBackTo);
    }

    private void scheduleTrim() {
        if (trimScheduled || s.closed) return;
        trimScheduled = true;
        s.timers.add(1000, 0, true, ticket -> {
            trimScheduled = false;
            if (!ticket.consume()) return;
            trimIdle(TimeUnit.SECONDS.toNanos(1));
            if (idle.size() > MAX_IDLE) scheduleTrim();
        });
    }

    /**
     * Lets idle fibers beyond {@code MAX_IDLE} exit, least recently used first, if they have been idle for at least
     * {@code minIdleNanos} (0: all of the excess).
     */
    void trimIdle(long minIdleNanos) {
        long now = System.nanoTime();
        while (idle.size() > MAX_IDLE && now - idle.peekFirst().idleSince >= minIdleNanos) {
            Fiber f = idle.pollFirst();
            all.remove(f);
            f.killed = true; // it wakes, sees it is killed while idle, and ends without touching the baton
            LockSupport.unpark(f.thread);
        }
    }

    /** Engine close: tells every fiber to unwind and exit, without the baton; returns them, to be joined. */
    List<Fiber> killAll() {
        List<Fiber> fibers = new ArrayList<>(all);
        for (Fiber f : fibers) {
            f.killed = true;
            LockSupport.unpark(f.thread);
        }
        idle.clear();
        all.clear();
        return fibers;
    }
}
