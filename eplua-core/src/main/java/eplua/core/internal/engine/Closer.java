package eplua.core.internal.engine;

import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes an engine from any thread, by the shutdown protocol: the engine stops "running" at once, then its loop runs
 * the Lua side's shutdown ({@link LuaSide#shutdownGracefully}: clean-up handlers, grace period, cancellation, every
 * resource closed), then the engine leaves its loop (a loop of its own stops; a shared one goes on serving its other
 * engines). A foreign thread waits for all of it, and stops Lua that
 * keeps the loop from ever getting there (a script spinning in {@code while true do end}) once the grace period and a
 * margin are over. The engine's own Lua thread (a script closing its engine, a posted job, a Netty handler) cannot
 * wait for the loop it runs on: it starts the shutdown and returns, and a watchdog thread does the stopping.
 */
final class Closer {
    /** What a healthy loop needs after the grace period to cancel what is left and close everything. */
    private static final long MARGIN_MS = 2000;
    /** What a loop whose Lua was stopped needs to close everything. */
    private static final long AFTER_STOP_MS = 10_000;

    private final String name;
    /** Takes the engine off its loop, once: a shared loop goes on, a loop of its own stops (returns its end). */
    private final java.util.function.Supplier<io.netty.util.concurrent.Future<?>> leaveLoop;
    private final java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile io.netty.util.concurrent.Future<?> loopEnd;
    private final EventLoop loop;
    private final Thread loopThread;
    private final Liveness liveness;
    private final Reporter reporter;
    private final long graceMs;
    /** Completes when the Lua side has shut down and the loop is told to stop. */
    private final CompletableFuture<Void> luaDone = new CompletableFuture<>();
    /** The loop began the shutdown protocol: Lua gave it a turn. */
    private final CompletableFuture<Void> protocolStarted = new CompletableFuture<>();
    /**
     * Lua that has held the loop this long when close() is called, without giving the loop a turn to begin the
     * shutdown (a runaway loop or pattern), can use no grace period (no handler, timer or task could run): it is
     * stopped then.
     */
    private static final long STUCK_MS = Long.getLong("eplua.closeStuckMillis", 300);
    private volatile LuaSide lua;

    Closer(String name, java.util.function.Supplier<io.netty.util.concurrent.Future<?>> leaveLoop, EventLoop loop,
           Thread loopThread, Liveness liveness, Reporter reporter, long graceMs) {
        this.name = name;
        this.leaveLoop = leaveLoop;
        this.loop = loop;
        this.loopThread = loopThread;
        this.liveness = liveness;
        this.reporter = reporter;
        this.graceMs = graceMs;
    }

    /** The Lua side to close, once it exists. */
    void closes(LuaSide lua) {
        this.lua = lua;
    }

    /** Idempotent; {@code onLuaThread}: the caller holds the engine's baton. */
    void close(boolean onLuaThread) {
        if (liveness.isClosed()) return;
        boolean first = liveness.startClosing();
        if (first) {
            try {
                loop.execute(this::shutdownOnLoop); // runs once the caller (if on the loop) hands the loop its turn back
            } catch (RejectedExecutionException e) {
                luaDone.complete(null); // the loop is stopping already
                protocolStarted.complete(null);
            }
        }
        if (onLuaThread || Thread.currentThread() == loopThread) {
            if (first) watchdog();
            return;
        }
        synchronized (this) {
            if (liveness.isClosed()) return;
            stopIfStuck();
            if (!awaitLua(graceMs + MARGIN_MS)) {
                stopLua();
                if (!awaitLua(AFTER_STOP_MS)) reporter.warn("eplua: engine " + name + " did not shut down cleanly");
            }
            liveness.markClosed();
            io.netty.util.concurrent.Future<?> end = leave();
            if (end != null) { // a loop of its own: wait for its thread to end
                end.awaitUninterruptibly(10, TimeUnit.SECONDS);
                try {
                    loopThread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                await(afterNextPoll(), AFTER_STOP_MS);
            }
            liveness.signalIdle();
        }
    }

    /**
     * Completes once a shared loop polled for I/O after the engine closed its sockets: the JDK closes a socket
     * registered with a selector only when the selector next looks at its keys, so only then is a closed server's
     * port refused (a loop of its own does it as it stops).
     */
    private CompletableFuture<Void> afterNextPoll() {
        CompletableFuture<Void> polled = new CompletableFuture<>();
        try {
            loop.execute(() -> loop.schedule(() -> polled.complete(null), 0, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            polled.complete(null);
        }
        return polled;
    }

    /** Leaves the loop once; the end of a loop of its own, or null. */
    private io.netty.util.concurrent.Future<?> leave() {
        if (left.compareAndSet(false, true)) loopEnd = leaveLoop.get();
        return loopEnd;
    }

    /** The protocol on the loop; when the Lua side is done, the engine leaves the loop. */
    private void shutdownOnLoop() {
        protocolStarted.complete(null);
        LuaSide l = lua;
        if (l == null) {
            stopLoop();
            return;
        }
        l.shutdownGracefully(graceMs, this::stopLoop);
    }

    private void stopLoop() {
        liveness.markClosed();
        leave(); // from the loop itself: returns at once
        liveness.signalIdle();
        luaDone.complete(null);
    }

    /** Waits for the loop to begin the shutdown; stops a Lua turn that holds the loop past {@link #STUCK_MS}. */
    private void stopIfStuck() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs + MARGIN_MS);
        while (!await(protocolStarted, 50) && System.nanoTime() < deadline) {
            LuaSide l = lua;
            if (l != null && l.meter() != null
                    && l.meter().runningTurnNanos() >= TimeUnit.MILLISECONDS.toNanos(STUCK_MS)) {
                stopLua();
                return;
            }
        }
    }

    private boolean awaitLua(long ms) {
        return await(luaDone, ms);
    }

    private static boolean await(CompletableFuture<Void> f, long ms) {
        try {
            f.get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // the caller gives up waiting: close the rest
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Stops Lua that keeps the loop from finishing the shutdown: it unwinds at its next instruction (with the debug
     * library: the default), and the loop ends the grace period now.
     */
    private void stopLua() {
        LuaSide l = lua;
        if (l == null) return;
        l.guard().interrupt(); // Lua instructions and long library calls (patterns, sorts, ...) alike
        try {
            loop.execute(l::endGracePeriod);
        } catch (RejectedExecutionException e) {
            // the loop is stopping already
        }
    }

    /** For a close started on the loop itself: a thread that stops Lua should the shutdown not end in time. */
    private void watchdog() {
        Thread w = new Thread(() -> {
            if (!awaitLua(graceMs + MARGIN_MS)) stopLua();
        }, name + "-closing");
        w.setDaemon(true);
        w.start();
    }
}
