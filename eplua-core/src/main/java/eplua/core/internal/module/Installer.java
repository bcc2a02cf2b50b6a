package eplua.core.internal.module;

import eplua.core.LuaScriptException;
import eplua.core.spi.LuaModule;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs an engine's modules in order. A module built for an SPI version this core does not support is refused,
 * and one that fails in {@code install} is reported and skipped (its native table removed), as are the modules that
 * require it: the engine starts without them. Only the core module failing stops the engine.
 */
public final class Installer {
    /** SPI versions this core can install. */
    public static final Set<Integer> SUPPORTED = Set.of(LuaModule.API_VERSION);

    private Installer() {}

    /** Validates, orders and installs {@code modules} (the core first); returns the ids installed. Lua thread. */
    public static List<String> installAll(ModuleHost host, List<LuaModule> modules) {
        List<LuaModule> supported = new ArrayList<>();
        for (LuaModule m : dedupe(modules)) {
            String refusal = refusal(m);
            if (refusal == null) supported.add(m);
            else host.warn(refusal);
        }
        LuaTable root = (LuaTable) host.globals().get("_eplua");
        List<String> installed = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (LuaModule m : ModuleLoader.order(supported, host::warn)) {
            String missing = null;
            for (String r : m.requires()) if (failed.contains(r)) missing = r;
            if (missing != null) {
                failed.add(m.id());
                host.warn("eplua: Lua module '" + m.id() + "' skipped: it requires module '" + missing
                        + "', which failed to install");
                continue;
            }
            LuaTable exports = new LuaTable();
            root.set(m.id(), exports);
            try {
                m.install(new EngineModuleContext(host, m, exports));
                installed.add(m.id());
            } catch (Exception | LinkageError | StackOverflowError e) {
                Throwable why = e instanceof LuaError ? LuaScriptException.from(e) : e;
                if (m.order() == Integer.MIN_VALUE) // the core itself: no engine without it
                    throw new IllegalStateException("Lua module '" + m.id() + "' failed to install: " + why, why);
                root.set(m.id(), org.luaj.vm2.LuaValue.NIL);
                failed.add(m.id());
                host.warn("eplua: Lua module '" + m.id() + "' (" + m.getClass().getName()
                        + ") failed to install and was skipped: " + why);
            }
        }
        return installed;
    }

    /** Why {@code m} cannot be installed here, or null. */
    static String refusal(LuaModule m) {
        int v;
        try {
            v = m.apiVersion();
        } catch (AbstractMethodError e) {
            v = 1; // built against SPI 1, where apiVersion() was a default method of the core
        }
        if (SUPPORTED.contains(v)) return null;
        return "eplua: Lua module '" + m.id() + "' (" + m.getClass().getName() + ") was built for module SPI version "
                + v + ", but this core supports version " + LuaModule.API_VERSION + "; refused";
    }

    private static List<LuaModule> dedupe(List<LuaModule> modules) {
        // the same module class found twice (explicitly and by discovery) installs once
        List<LuaModule> out = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        for (LuaModule m : modules) if (seen.add(m.getClass())) out.add(m);
        return out;
    }
}
