package eplua.core.internal.engine;

import eplua.core.FiberMode;
import eplua.core.internal.loop.EngineLoop;
import eplua.core.internal.loop.Loops;
import eplua.core.internal.task.Fibers;
import io.netty.util.concurrent.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What an engine is made of, started: its place on a loop, console, liveness, closer and Lua side. Built by
 * {@link eplua.core.Engine}, which is its public face.
 */
public final class EngineParts {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String name;
    private final EngineLoop loop;
    private final Reporter reporter;
    private final Liveness liveness;
    private final Closer closer;
    private final LuaSide lua;

    private EngineParts(EngineConfig c) {
        name = c.name() != null ? c.name() : "eplua-" + COUNT.incrementAndGet();
        reporter = new Reporter(c.out(), c.err(), c.in(), c.errorHandler());
        FiberMode mode = Fibers.choose(c.fiberMode(), true).mode();
        Loops own = c.loops() == null ? Loops.create(1, name + "-loop") : null;
        loop = own != null ? own.place() : c.loops().place();
        Supplier<Future<?>> leave = own != null ? own::shutdown : () -> {
            loop.left();
            return null;
        };
        liveness = new Liveness(name, loop, reporter, c.keepJvmAlive());
        closer = new Closer(name, leave, loop, loop.thread(), liveness, reporter, c.graceMs());
        try {
            lua = loop.submit(() -> new LuaSide(c, name, loop, mode, reporter, liveness)).get();
        } catch (ExecutionException e) {
            leave.get();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new IllegalStateException("engine start failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leave.get();
            throw new IllegalStateException("interrupted while starting the engine", e);
        }
        closer.closes(lua);
        eplua.core.internal.metrics.Logs.ENGINE.log(System.Logger.Level.DEBUG,
                () -> "eplua: engine " + name + " started, fiber mode " + lua.scheduler().mode() + ", on loop "
                        + loop.thread().getName());
        lua.closeItselfWith(() -> closer.close(true));
    }

    /** Starts an engine on its loop and its Lua side; returns when its modules are installed. */
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

    /** The thread of the loop the engine is on (shared with the loop's other engines unless it has its own). */
    public Thread loopThread() {
        return loop.thread();
    }

    /** See {@link eplua.core.Engine#close()}; {@code onLuaThread}: the caller holds the engine's baton. */
    public void close(boolean onLuaThread) {
        if (!liveness.isClosed()) eplua.core.internal.metrics.Logs.ENGINE.log(System.Logger.Level.DEBUG,
                () -> "eplua: engine " + name + " closing");
        lua.meter().close();
        closer.close(onLuaThread);
    }
}
