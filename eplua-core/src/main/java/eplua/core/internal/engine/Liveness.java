package eplua.core.internal.engine;

import eplua.core.LuaScriptException;
import eplua.core.internal.task.Guard;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether an engine is alive, running, closed: "alive" while registered things (timers, tasks, sockets, callbacks)
 * or posted jobs are pending; "running" until it starts closing. Waiting for idleness; while alive, the engine holds
 * the JVM open ({@link KeepAlive}, like Node). Its posted jobs run with its guard bound. Any thread.
 */
public final class Liveness {
    private final String name;
    private final EventLoop loop;
    private final Reporter reporter;
    private final boolean keepJvmAlive;
    private final AtomicInteger pendingPosts = new AtomicInteger();
    private final Object idleLock = new Object();
    private volatile int registryAlive;
    private volatile boolean closing;
    private volatile boolean closed;
    /** {@link KeepAlive} holds the JVM for this engine now. */
    volatile boolean held;
    /** Bound on the loop thread while a posted job runs: library functions find their engine through it. */
    private volatile Guard guard;

    public Liveness(String name, EventLoop loop, Reporter reporter, boolean keepJvmAlive) {
        this.name = name;
        this.loop = loop;
        this.reporter = reporter;
        this.keepJvmAlive = keepJvmAlive;
    }

    /** The engine's guard, once its Lua side exists. */
    void runsWith(Guard g) {
        guard = g;
    }

    /** True while timers, tasks, sockets or posted jobs that keep the engine alive are pending. */
    public boolean isAlive() {
        return !closed && (registryAlive > 0 || pendingPosts.get() > 0);
    }

    /** True until the engine starts closing. */
    public boolean isRunning() {
        return !closing;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The engine starts closing ({@code is_app_running()} turns false); true for the first caller only. */
    synchronized boolean startClosing() {
        if (closing) return false;
        closing = true;
        return true;
    }

    /** The engine is closed: nothing keeps it alive any more (waiters wake at the next {@link #signalIdle}). */
    void markClosed() {
        closing = true;
        closed = true;
    }

    public void ensureOpen() {
        if (closed || closing) throw new IllegalStateException("engine " + name + " is closed");
    }

    /**
     * Runs {@code task} on the loop, later (never inline); the engine stays alive until it ran. Errors it throws go
     * to the error handler. Throws IllegalStateException once the engine is closing. Any thread.
     */
    public void post(Runnable task) {
        Objects.requireNonNull(task, "task");
        ensureOpen();
        enqueue(task);
    }

    /**
     * As {@link #post}, for the engine's own jobs (a callback a module settles, a host callback completed): they are
     * still taken while the engine is closing, as its tasks finish their work in the grace period; refused only once
     * it is closed.
     */
    public void postInternal(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) throw new IllegalStateException("engine " + name + " is closed");
        enqueue(task);
    }

    private void enqueue(Runnable task) {
        pendingPosts.incrementAndGet();
        try {
            loop.execute(() -> {
                Guard g = guard;
                Guard outer = g != null ? g.enter() : null;
                try {
                    if (!closed) task.run();
                } catch (RuntimeException e) { // LuaError included
                    reporter.report(LuaScriptException.from(e));
                } finally {
                    if (g != null) Guard.restore(outer);
                    if (pendingPosts.decrementAndGet() == 0) signalIdle();
                }
            });
        } catch (RuntimeException e) {
            pendingPosts.decrementAndGet();
            throw new IllegalStateException("engine " + name + " is closed", e);
        }
    }

    /** Waits until nothing keeps the engine alive (or it closed). Returns false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idleLock) {
            while (isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(idleLock, left);
            }
        }
        return true;
    }

    /** The registry's count of things that keep the engine alive changed. Lua thread. */
    void aliveChanged(int alive) {
        registryAlive = alive;
        if (alive == 0) signalIdle();
        else if (keepJvmAlive && !held && !closing) KeepAlive.hold(this);
    }

    void signalIdle() {
        synchronized (idleLock) {
            idleLock.notifyAll();
        }
    }
}
