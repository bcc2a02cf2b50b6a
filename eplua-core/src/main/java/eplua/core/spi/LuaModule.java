package eplua.core.spi;

import java.util.Set;

/**
 * A Lua module that plugs into every new engine: found by {@link java.util.ServiceLoader} (register implementations
 * with {@code @AutoService(LuaModule.class)}), installed once per engine through a narrow {@link ModuleContext}.
 *
 * <p>Modules install in ascending {@link #order()}, then by id; a module's {@link #requires()} install before it.
 * Duplicate ids and unknown requirements are rejected with a clear error; a module built against another
 * {@link #apiVersion()} is skipped and reported.
 */
public interface LuaModule {
    /** The SPI version this core implements. */
    int API_VERSION = 1;

    /** Unique id, also the key of this module's native table: {@code _eplua[id]}. Lowercase, [a-z0-9_]. */
    String id();

    /** Exports Java functions and runs the module's Lua files. Runs on the engine's loop thread. */
    void install(ModuleContext context) throws Exception;

    /** Lower installs first. The core module is {@link Integer#MIN_VALUE}. */
    default int order() {
        return 0;
    }

    /** Ids of modules that must be installed first. */
    default Set<String> requires() {
        return Set.of();
    }

    /** The SPI version this module was built against. */
    default int apiVersion() {
        return API_VERSION;
    }
}
