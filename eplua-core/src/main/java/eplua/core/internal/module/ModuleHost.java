package eplua.core.internal.module;

import eplua.core.internal.contain.Policy;
import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import eplua.core.internal.task.LuaBridge;
import eplua.core.internal.task.Scheduler;
import io.netty.channel.EventLoop;
import org.luaj.vm2.Globals;

/**
 * The engine as its installer and its built-in core module see it (third-party modules see only
 * {@link eplua.core.spi.ModuleContext}). Implemented by the engine's Lua side, which knows nothing of
 * {@link eplua.core.Engine}.
 */
public interface ModuleHost {
    String name();

    /** Lua thread only. */
    Globals globals();

    EventLoop eventLoop();

    /** Lua thread only. */
    Registry registry();

    /** Lua thread only, except the methods it marks otherwise. */
    Scheduler scheduler();

    /** Lua thread only. */
    Timers timers();

    /** The Java->Lua bridge. Any thread. */
    LuaBridge bridge();

    /** Counts, times and reports on the engine's Lua (see eplua.core.EngineMetrics). Any thread. */
    eplua.core.internal.metrics.Meter meter();

    boolean isRunning();

    /** What the engine's profile allows. Any thread. */
    Policy policy();

    /** To the engine's error handler. Any thread. */
    void report(Throwable failure);

    /** A diagnostic for the host (module skipped, refused, ...). Any thread. */
    void warn(String message);

    /** {@code on_cleanup(fn)}: runs {@code fn} as a task when the engine starts closing. Lua thread only. */
    void onCleanup(org.luaj.vm2.LuaValue fn);
}
