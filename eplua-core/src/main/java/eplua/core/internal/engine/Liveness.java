package eplua.core.internal.engine;

import eplua.core.LuaScriptException;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether an engine is alive, running, closed: "alive" while registered things (timers, tasks, sockets, callbacks)
 * or posted jobs are pending; "running" until it starts closing. Waiting for idleness, and the keeper thread that
 * holds the JVM open exactly while the engine is alive (like Node). Any thread.
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
    private volatile Thread keeper; // guarded by idleLock

    public Liveness(String name, EventLoop loop, Reporter reporter, boolean keepJvmAlive) {
        this.name = name;
        this.loop = loop;
        this.reporter = reporter;
        this.keepJvmAlive = keepJvmAlive;
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
                try {
                    if (!closed) task.run();
                } catch (RuntimeException e) { // LuaError included
                    reporter.report(LuaScriptException.from(e));
                } finally {
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
        else if (keepJvmAlive && keeper == null && !closing) {
            synchronized (idleLock) {
                if (keeper == null) startKeeper();
            }
        }
    }

    void signalIdle() {
        synchronized (idleLock) {
            idleLock.notifyAll();
        }
    }

    /** A non-daemon thread that keeps the JVM running exactly while the engine is alive, as Node does. */
    private void startKeeper() {
        Thread k = new Thread(() -> {
            try {
                synchronized (idleLock) {
                    while (true) {
                        while (isAlive()) idleLock.wait();
                        // linger a little: callbacks often make the engine alive again right away
                        idleLock.wait(20);
                        if (!isAlive()) break;
                    }
                }
            } catch (InterruptedException ignored) {
                // the JVM is going down
            } finally {
                synchronized (idleLock) {
                    keeper = null;
                }
            }
        }, name + "-keepalive");
        k.setDaemon(false);
        keeper = k;
        k.start();
    }
}
