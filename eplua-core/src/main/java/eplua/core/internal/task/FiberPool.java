package eplua.core.internal.task;

import eplua.core.FiberMode;
import org.luaj.vm2.LuaError;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's fibers: those working for it now (running a job, or holding a suspended task or coroutine). Idle ones
 * go back to the loop's pool ({@link LoopFibers}), shared with the loop's other engines; a task that suspends keeps
 * its fiber. Touched only by the baton holder.
 */
final class FiberPool {
    /** Fibers beyond the task budget, for what is not a spawn (timer callbacks, coroutines, host calls). */
    private static final int FIBER_HEADROOM = 1024;

    private final Scheduler s;
    private final FiberMode mode;
    private final LoopFibers loopFibers;
    /** Platform threads are a scarce OS resource (pid_max, native stacks): fail clearly instead of exhausting them. */
    private final int maxFibers;
    /** The fibers working for the engine: a ring through {@link Fiber#prev}/{@link Fiber#next} (no allocation). */
    private final Fiber all = new Fiber(null);
    private int working;

    FiberPool(Scheduler s, FiberMode mode, LoopFibers loopFibers) {
        this.s = s;
        this.mode = mode;
        this.loopFibers = loopFibers;
        all.prev = all.next = all;
        // above the task budget: timer callbacks, coroutines and host calls still get a fiber when spawn refuses
        this.maxFibers = Integer.getInteger("eplua.maxFibers",
                Math.max(Fibers.taskCap(mode), s.guard.budgets().maxTasks()) + FIBER_HEADROOM);
    }

    /** Fibers working for this engine now. */
    int size() {
        return working;
    }

    private void add(Fiber f) {
        if (f.next != null) return;
        f.prev = all.prev;
        f.next = all;
        all.prev.next = f;
        all.prev = f;
        working++;
    }

    private void remove(Fiber f) {
        if (f.next == null) return;
        f.prev.next = f.next;
        f.next.prev = f.prev;
        f.prev = f.next = null;
        working--;
    }

    /** An idle fiber, or a new one. Throws a LuaError when no thread can be had. */
    Fiber acquire() {
        Fiber f = tryAcquire();
        if (f != null) return f;
        boolean platform = mode == FiberMode.PLATFORM;
        throw new LuaError("too many suspended tasks and coroutines (" + working + "): each holds a "
                    + (platform ? "platform" : "virtual") + " thread; raise -Deplua.maxFibers"
                    + (platform ? " or run on Java 21+, where they are virtual threads" : ""));
    }

    /** An idle fiber, or a new one; null when all the engine may have are busy. Throws a LuaError when no thread
     * can be made. */
    Fiber tryAcquire() {
        if (working >= maxFibers) return null;
        Fiber f = loopFibers.take(mode, s);
        if (f == null) {
            f = new Fiber(s);
            try {
                boolean carried = mode == FiberMode.CARRIED;
                f.thread = Fibers.newThread(loopFibers.loopThread.getName(), f, mode, carried ? loopFibers.carried : null);
                f.carried = carried;
                if (mode == FiberMode.PLATFORM) f.thread.start(); // a virtual one starts when first handed the baton
            } catch (OutOfMemoryError | RuntimeException e) {
                // platform threads run out long before virtual ones (pid_max, native stacks)
                throw new LuaError("cannot start a thread for another coroutine (" + working + " alive): "
                        + e.getMessage());
            }
        }
        add(f);
        return f;
    }

    /** Idle fibers of this engine's mode in the loop's pool (what it may take next). */
    int idleOnLoop() {
        return loopFibers.idleCount(mode);
    }

    /** A Java caller lending itself as a fiber (see {@link CallerRuns}) joins and leaves the books. */
    void addLent(Fiber f) {
        add(f);
    }

    void removeLent(Fiber f) {
        remove(f);
    }

    /** A fiber finished its job: back to the loop's pool, for this engine or another. */
    void idle(Fiber f) {
        f.idle = true;
        remove(f);
        loopFibers.park(f, mode);
        s.queue.fiberFreed();
    }

    /** A fiber's body ended (killed, or unwound by close); it hands the baton on if it holds it. */
    void exited(Fiber f, Thread handBackTo) {
        if (s.baton.owner != Thread.currentThread()) return; // a fiber told to exit by close(): holds nothing
        remove(f);
        s.baton.pass(handBackTo);
    }

    /**
     * Lets idle fibers of the loop beyond its pool's limit exit if idle for at least {@code minIdleNanos} (0: all of
     * the excess).
     */
    void trimIdle(long minIdleNanos) {
        loopFibers.trim(minIdleNanos);
    }

    /** Engine close: tells every fiber working for it to unwind and exit, without the baton; returns them. */
    List<Fiber> killAll() {
        List<Fiber> fibers = new ArrayList<>(working);
        for (Fiber f = all.next; f != all; f = f.next) fibers.add(f);
        for (Fiber f : fibers) {
            remove(f);
            f.kill();
        }
        return fibers;
    }
}
