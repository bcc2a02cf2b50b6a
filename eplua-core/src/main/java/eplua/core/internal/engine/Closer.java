package eplua.core.internal.engine;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes an engine from any thread: stops running Lua, ends its tasks and timers, closes every resource scripts
 * opened, stops the loop and lets its thread end. A foreign thread waits for all of it. The engine's own Lua thread
 * (a script closing its engine, a posted job, a Netty handler) cannot wait for the loop it runs on: it asks the loop
 * to close, and returns; the loop does so as soon as it gets its turn back, then its thread ends on its own.
 */
final class Closer {
    private final String name;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Thread loopThread;
    private final Liveness liveness;
    private final Reporter reporter;
    private volatile LuaSide lua;

    Closer(String name, EventLoopGroup group, EventLoop loop, Thread loopThread, Liveness liveness, Reporter reporter) {
        this.name = name;
        this.group = group;
        this.loop = loop;
        this.loopThread = loopThread;
        this.liveness = liveness;
        this.reporter = reporter;
    }

    /** The Lua side to close, once it exists. */
    void closes(LuaSide lua) {
        this.lua = lua;
    }

    /** Idempotent; {@code onLuaThread}: the caller holds the engine's baton. */
    void close(boolean onLuaThread) {
        if (liveness.isClosed()) return;
        liveness.startClosing();
        // a script spinning in Lua (or in a long library call) would keep the loop from ever running the shutdown:
        // stop it
        LuaSide l = lua;
        if (l != null) l.guard().interrupt();
        if (onLuaThread || Thread.currentThread() == loopThread) {
            try {
                loop.execute(this::closeOnLoop); // runs once the caller hands the loop its turn back
            } catch (RejectedExecutionException e) {
                // the loop is stopping already
            }
            return;
        }
        synchronized (this) {
            if (liveness.isClosed()) return;
            try {
                loop.submit(this::shutdownLua).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                reporter.warn("eplua: engine " + name + " did not shut down cleanly: " + e);
            }
            liveness.markClosed();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            try {
                loopThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            liveness.signalIdle();
        }
    }

    /** The shutdown asked for on the Lua thread: the loop's thread ends after this job. */
    private void closeOnLoop() {
        shutdownLua();
        liveness.markClosed();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS); // from the loop itself: returns at once
        liveness.signalIdle();
    }

    private void shutdownLua() {
        LuaSide l = lua;
        if (l != null) l.shutdown();
    }
}
