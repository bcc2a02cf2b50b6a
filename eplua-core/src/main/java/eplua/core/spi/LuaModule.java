package eplua.core.spi;

import java.util.Set;

/**
 * A Lua module that plugs into every new engine: found by {@link java.util.ServiceLoader} (register implementations
 * with {@code @AutoService(LuaModule.class)}), installed once per engine through a narrow {@link ModuleContext}.
 *
 * <p>Modules install in ascending {@link #order()}, then by id; a module's {@link #requires()} install before it.
 * A module whose {@link #apiVersion()} the core does not support is refused with a message naming the module and
 * both versions; a module that fails in {@link #install} is reported and skipped. Either way the engine starts.
 */
public interface LuaModule {
    /**
     * The SPI version of this core. A module returns it from {@link #apiVersion()}: javac copies the constant into
     * the module's own class file, so the number says which SPI the module was compiled against.
     */
    int API_VERSION = 2;

    /** Unique id, also the key of this module's native table: {@code _eplua[id]}. Lowercase, [a-z0-9_]. */
    String id();

    /** The SPI version this module was compiled against: implement as {@code return LuaModule.API_VERSION;}. */
    int apiVersion();

    /** Exports Java functions and runs the module's Lua files. Runs on the engine's Lua thread. */
    void install(ModuleContext context) throws Exception;

    /** Lower installs first. The core module is {@link Integer#MIN_VALUE}. */
    default int order() {
        return 0;
    }

    /** Ids of modules that must be installed first. */
    default Set<String> requires() {
        return Set.of();
    }
}
