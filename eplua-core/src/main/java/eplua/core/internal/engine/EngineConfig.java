package eplua.core.internal.engine;

import eplua.core.FiberMode;
import eplua.core.LuaScriptException;
import eplua.core.internal.contain.ContainConfig;
import eplua.core.spi.LuaModule;

import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an {@link eplua.core.Engine.Builder} collected. Null streams and handler mean the defaults; a null
 * {@code fiberMode} means the system properties' choice or the fastest; {@code contain}: profile, allow-lists and
 * budgets; {@code loops}: the group the engine is placed on (null: a loop of its own); a null {@code gracePeriod} means
 * {@code -Deplua.gracePeriod} (milliseconds) or {@link #DEFAULT_GRACE_MS}.
 */
public record EngineConfig(String name, boolean keepJvmAlive, boolean debug, boolean discover, ClassLoader classLoader,
                           List<LuaModule> modules, Writer out, Writer err, Reader in,
                           Consumer<LuaScriptException> errorHandler, FiberMode fiberMode, Duration gracePeriod,
                           ContainConfig contain, eplua.core.internal.loop.Loops loops) {
    /** How long tasks may take to finish once the engine starts closing, unless told otherwise. */
    public static final long DEFAULT_GRACE_MS = 2000;

    /** The grace period in milliseconds (never negative). */
    public long graceMs() {
        long ms = gracePeriod != null ? gracePeriod.toMillis() : Long.getLong("eplua.gracePeriod", DEFAULT_GRACE_MS);
        return Math.max(0, ms);
    }
}
