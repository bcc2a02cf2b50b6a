package eplua.core.internal.module;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code require(name)} finds what modules install as global tables ({@code json}, {@code net}, {@code mqtt}, ...): a
 * {@code package.preload} entry for each, returning that very table. Generic: every global table that module
 * installation added gets one (names starting with '_' excepted), unless a module's Lua file set its own.
 */
public final class Preloads {
    private final Globals globals;
    private final Set<LuaValue> before = new HashSet<>();

    private Preloads(Globals globals) {
        this.globals = globals;
        for (LuaValue k = LuaValue.NIL; ; ) {
            Varargs n = globals.next(k);
            if ((k = n.arg1()).isnil()) break;
            before.add(k);
        }
    }

    /** Notes the globals there are before modules install. Lua thread. */
    public static Preloads before(Globals globals) {
        return new Preloads(globals);
    }

    /** Adds a preload for every global table added since {@link #before}. Lua thread. */
    public void addNewTables() {
        LuaValue pkg = globals.get("package");
        if (!pkg.istable() || !pkg.get("preload").istable()) return; // a sandbox without require
        LuaTable preload = (LuaTable) pkg.get("preload");
        LuaValue loaded = pkg.get("loaded");
        for (LuaValue k = LuaValue.NIL; ; ) {
            Varargs n = globals.next(k);
            if ((k = n.arg1()).isnil()) break;
            LuaValue v = n.arg(2);
            if (!k.isstring() || k.isnumber() || !v.istable() || before.contains(k)) continue;
            if (k.tojstring().startsWith("_") || !preload.get(k).isnil()) continue;
            if (loaded.istable() && !loaded.get(k).isnil()) continue;
            preload.set(k, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return v;
                }
            });
        }
    }
}
