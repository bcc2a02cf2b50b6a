package eplua.core.spi;

import eplua.core.Engine;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** What a {@link LuaModule} sees while it installs: its native table, a way to fill it, and its Lua files. */
public interface ModuleContext {
    /** The engine being set up (its public API only). */
    Engine engine();

    /** The id of the module being installed. */
    String moduleId();

    /** This module's native table, {@code _eplua[moduleId]}: Java primitives under documented names. */
    LuaTable exports();

    /** Adds every {@link LuaExport} method of {@code target} to {@link #exports()}. */
    void export(Object target);

    /** Adds one function (or value) to {@link #exports()}. */
    void export(String name, LuaValue value);

    /**
     * Runs a Lua file shipped as a class-path resource of the module (its friendly API). The chunk receives the
     * native table as {@code ...} and is named after the resource, so errors point into it.
     */
    void runLua(String resource) throws Exception;
}
