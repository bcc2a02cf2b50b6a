package eplua.core.internal.module;

import eplua.core.internal.loop.Registry;
import eplua.core.internal.task.Scheduler;
import io.netty.channel.EventLoop;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CompletableFuture;

/**
 * The engine as its installer and its built-in core module see it (third-party modules see only
 * {@link eplua.core.spi.ModuleContext}); the engine implements it.
 */
public interface ModuleHost {
    String name();

    /** Lua thread only. */
    Globals globals();

    EventLoop eventLoop();

    /** Lua thread only. */
    Registry registry();

    /** Lua thread only. */
    Scheduler scheduler();

    /** Lua thread only. */
    eplua.core.internal.loop.Timers timers();

    /** Runs {@code job} on the loop later; any thread. */
    void post(Runnable job);

    /** The Java->Lua bridge: {@code fn(args)} as a new task. Any thread. */
    void call(LuaValue fn, Varargs args);

    /** The Java->Lua bridge for futures (see {@link eplua.core.spi.ModuleContext#settle}). Any thread. */
    void settle(CompletableFuture<?> future, LuaValue success, LuaValue error);

    boolean isRunning();

    /** To the engine's error handler. Any thread. */
    void report(Throwable failure);

    /** A diagnostic for the host (module skipped, refused, ...). Any thread. */
    void warn(String message);
}
