package eplua.jsr223;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;

import javax.script.Bindings;
import javax.script.ScriptException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The globals of one chunk run with {@link Bindings} that are not this engine's (a {@code SimpleBindings}, a host's
 * own map, an immutable one): an empty table whose {@code __index} reads the bindings when a name is used (then the
 * engine's globals: standard library, modules, GLOBAL_SCOPE) and whose {@code __newindex} records assignments in
 * this chunk's own table, seen by later reads. When the chunk ends, {@link #writeBack} puts exactly the names it
 * assigned into the bindings ({@code nil} removes); nothing else in the bindings is touched. Assignments made later
 * (by timers the chunk left behind) stay in Lua.
 */
final class ForeignGlobals {
    /** An assigned nil: hides the bindings' value for later reads, removes it on write-back. */
    private static final LuaValue REMOVED = new LuaUserdata("removed");
    private static final Object REMOVE = new Object();

    private final Bindings scope;
    private final Marshal marshal;
    private final LuaTable assigned = new LuaTable();
    private final LuaTable env = new LuaTable();

    /** Loop only. */
    ForeignGlobals(Bindings scope, Marshal marshal, LuaTable globals) {
        this.scope = scope;
        this.marshal = marshal;
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                LuaValue v = assigned.rawget(key);
                if (!v.isnil()) return v == REMOVED ? NIL : v;
                if (key.type() == TSTRING) {
                    String name = (String) marshal.toJava(key);
                    Object o = name.isEmpty() ? null : scope.get(name);
                    if (o != null) return marshal.toLua(o);
                }
                return globals.get(key);
            }
        });
        meta.rawset(LuaValue.NEWINDEX, new ThreeArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key, LuaValue value) {
                assigned.rawset(key, value.isnil() ? REMOVED : value);
                return NONE;
            }
        });
        env.setmetatable(meta);
    }

    LuaTable env() {
        return env;
    }

    /** The assigned names and their Java values ({@link #REMOVE} for nil). Loop only. */
    Map<String, Object> assignments() {
        Map<String, Object> out = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs kv = assigned.next(k);
            if ((k = kv.arg1()).isnil()) return out;
            if (k.type() != LuaValue.TSTRING) continue;
            LuaValue v = kv.arg(2);
            out.put((String) marshal.toJava(k), v == REMOVED ? REMOVE : marshal.toJava(v));
        }
    }

    /**
     * Puts {@code values} (from {@link #assignments}) into the bindings, on the caller's thread. Bindings that refuse
     * writes make a {@link ScriptException} naming the variables.
     */
    void writeBack(Map<String, Object> values, String chunk) throws ScriptException {
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty()) continue;
            try {
                if (e.getValue() != REMOVE) scope.put(name, e.getValue());
                else if (scope.containsKey(name)) scope.remove(name);
            } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException x) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty())
            throw new ScriptException("cannot assign global" + (refused.size() > 1 ? "s " : " ") + "'"
                    + String.join("', '", refused) + "': the bindings (" + scope.getClass().getName()
                    + ") refuse writes", chunk, -1);
    }
}
