package eplua.core.internal.engine;

import eplua.core.FiberMode;
import eplua.core.LuaScriptException;
import eplua.core.internal.contain.ContainConfig;
import eplua.core.spi.LuaModule;

import java.io.Reader;
import java.io.Writer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an {@link eplua.core.Engine.Builder} collected. Null streams and handler mean the defaults; a null
 * {@code fiberMode} means the system properties' choice or the fastest; {@code contain}: profile, allow-lists and budgets.
 */
public record EngineConfig(String name, boolean keepJvmAlive, boolean debug, boolean discover, ClassLoader classLoader,
                           List<LuaModule> modules, Writer out, Writer err, Reader in,
                           Consumer<LuaScriptException> errorHandler, FiberMode fiberMode,
                           ContainConfig contain) {}
