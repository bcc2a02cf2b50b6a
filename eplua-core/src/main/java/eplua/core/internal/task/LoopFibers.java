package eplua.core.internal.task;

import eplua.core.FiberMode;
import eplua.core.internal.loop.EngineLoop;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The fibers of one loop, shared by its engines: idle fibers wait here for whichever engine of the loop needs one
 * next, so an engine that never runs a task holds no thread, and a thousand engines with one pending timer each hold
 * a handful (Java 17's platform threads are scarce). On Java 21+ with the carried mode, fibers are virtual threads
 * mounted on the loop's own thread by its {@link LoopCarrier}. Idle fibers are touched under this object's lock
 * (the baton holders of different engines of the loop take turns, but host threads may borrow an idle engine).
 */
final class LoopFibers implements AutoCloseable {
    /** Idle fibers kept per loop and mode; more than this exit a second after their job ends. */
    private static final int MAX_IDLE = Integer.getInteger("eplua.idleFibers", 256);

    final EngineLoop loop;
    final Thread loopThread;
    /** Mounts carried fibers on the loop thread (null if the JDK has no carried virtual threads). */
    final LoopCarrier carrier;
    /** Makes carried fibers (null when {@link #carrier} is). */
    final ThreadFactory carried;
    private final Map<FiberMode, ArrayDeque<Fiber>> idle = new EnumMap<>(FiberMode.class);
    private boolean trimScheduled;

    private LoopFibers(EngineLoop loop) {
        this.loop = loop;
        this.loopThread = loop.thread();
        LoopCarrier c = new LoopCarrier(loopThread, loop);
        ThreadFactory f = Fibers.carriedFactory(c);
        carrier = f == null ? null : c;
        carried = f;
        if (carrier != null) loop.mountedHere(carrier::isMounted);
        if (carrier != null && loop.gate() != null) loop.gate().whileWaiting(carrier::runForeign);
        for (FiberMode m : FiberMode.values()) idle.put(m, new ArrayDeque<>());
    }

    static LoopFibers of(EngineLoop loop) {
        return loop.shared(LoopFibers.class, LoopFibers::new);
    }

    /** An idle fiber of {@code mode} (the most recently used), now working for {@code s}; null if none. */
    Fiber take(FiberMode mode, Scheduler s) {
        Fiber f;
        synchronized (this) {
            f = idle.get(mode).pollLast();
        }
        if (f != null) f.assign(s);
        return f;
    }

    /** A fiber's job ended: it waits here for the next engine that needs one. */
    void park(Fiber f, FiberMode mode) {
        int n;
        synchronized (this) {
            f.idleSince = System.nanoTime();
            ArrayDeque<Fiber> q = idle.get(mode);
            q.addLast(f);
            n = q.size();
        }
        if (n > MAX_IDLE) scheduleTrim();
    }

    /** A pool grown past {@code MAX_IDLE} by a burst is trimmed a second later (threads are costly to make again). */
    private void scheduleTrim() {
        synchronized (this) {
            if (trimScheduled) return;
            trimScheduled = true;
        }
        try {
            loop.schedule(() -> {
                synchronized (this) {
                    trimScheduled = false;
                }
                if (trim(TimeUnit.SECONDS.toNanos(1))) scheduleTrim();
            }, 1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop is stopping: its fibers die with it
        }
    }

    /**
     * Lets idle fibers beyond {@code MAX_IDLE} exit, least recently used first, if idle for at least
     * {@code minIdleNanos} (0: all of the excess). True if an excess is left.
     */
    boolean trim(long minIdleNanos) {
        long now = System.nanoTime();
        boolean left = false;
        for (ArrayDeque<Fiber> q : idle.values()) {
            while (true) {
                Fiber f;
                synchronized (this) {
                    if (q.size() <= MAX_IDLE) break;
                    if (now - q.peekFirst().idleSince < minIdleNanos) {
                        left = true;
                        break;
                    }
                    f = q.pollFirst();
                }
                f.kill(); // it wakes, sees it is killed while idle, and ends without touching a baton
            }
        }
        return left;
    }

    /** The loop stops: every idle fiber exits. */
    @Override
    public void close() {
        java.util.List<Fiber> all = new java.util.ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<Fiber> q : idle.values()) {
                all.addAll(q);
                q.clear();
            }
        }
        for (Fiber f : all) f.kill();
    }

    /** Idle fibers of {@code mode} (metrics, tests). */
    synchronized int idleCount(FiberMode mode) {
        return idle.get(mode).size();
    }
}
