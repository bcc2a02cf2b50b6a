package eplua.core.internal.engine;

import eplua.core.FiberMode;
import eplua.core.internal.loop.EngineLoop;
import eplua.core.internal.task.Fibers;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an engine is made of, started: its loop (one thread), console, liveness, closer and Lua side. Built by
 * {@link eplua.core.Engine}, which is its public face.
 */
public final class EngineParts {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String name;
    private final Thread loopThread;
    private final Reporter reporter;
    private final Liveness liveness;
    private final Closer closer;
    private final LuaSide lua;

    private EngineParts(EngineConfig c) {
        name = c.name() != null ? c.name() : "eplua-" + COUNT.incrementAndGet();
        reporter = new Reporter(c.out(), c.err(), c.in(), c.errorHandler());
        FiberMode mode = Fibers.choose(c.fiberMode(), true).mode();
        EventLoopGroup group = EngineLoop.group(Fibers.loopFactory(name));
        EventLoop loop = (EventLoop) group.next();
        liveness = new Liveness(name, loop, reporter, c.keepJvmAlive());
        try {
            loopThread = loop.submit(Thread::currentThread).get();
            closer = new Closer(name, group, loop, loopThread, liveness, reporter, c.graceMs());
            lua = loop.submit(() -> new LuaSide(c, name, loop, loopThread, mode, reporter, liveness)).get();
        } catch (ExecutionException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new IllegalStateException("engine start failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while starting the engine", e);
        }
        closer.closes(lua);
        eplua.core.internal.metrics.Logs.ENGINE.log(System.Logger.Level.DEBUG,
                () -> "eplua: engine " + name + " started, fiber mode " + lua.scheduler().mode());
        lua.closeItselfWith(() -> closer.close(true));
    }

    /** Starts an engine's loop and Lua side; returns when its modules are installed. */
    public static EngineParts start(EngineConfig c) {
        return new EngineParts(c);
    }

    public String name() {
        return name;
    }

    public LuaSide lua() {
        return lua;
    }

    public Liveness liveness() {
        return liveness;
    }

    public Reporter reporter() {
        return reporter;
    }

    /** The loop's thread (it ends when the engine closes). */
    public Thread loopThread() {
        return loopThread;
    }

    /** See {@link eplua.core.Engine#close()}; {@code onLuaThread}: the caller holds the engine's baton. */
    public void close(boolean onLuaThread) {
        if (!liveness.isClosed()) eplua.core.internal.metrics.Logs.ENGINE.log(System.Logger.Level.DEBUG,
                () -> "eplua: engine " + name + " closing");
        lua.meter().close();
        closer.close(onLuaThread);
    }
}
