package eplua.core.internal.lib;

import eplua.core.internal.task.Guard;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * A string metatable per engine. LuaJ keeps one for the whole JVM ({@link LuaString#s_metatable}), whose
 * {@code __index} is the {@code string} table of whichever Globals was made last: one engine's
 * {@code string.find = f} would change {@code s:find()} in every other engine, and run {@code f} there. Here the
 * JVM's metatable looks each key up in the metatable of the engine whose Lua runs on the calling thread, and
 * {@code getmetatable("")} gives that one: {@code {__index = string}}, the engine's own string library.
 */
final class StringMeta {
    /** What LuaJ's own code sees: every lookup goes to the calling engine's string metatable. */
    private static final LuaTable DISPATCH = new Dispatch();
    /** For Lua on a thread of no engine: the metatable LuaJ made first. */
    private static volatile LuaValue fallback;

    private StringMeta() {}

    /** Gives {@code globals}' engine its own string metatable and {@code getmetatable} that knows it. */
    static void install(Globals globals, Guard guard) {
        synchronized (StringMeta.class) {
            LuaValue luaj = LuaString.s_metatable;
            if (fallback == null && luaj != null && luaj != DISPATCH) fallback = luaj;
            LuaString.s_metatable = DISPATCH;
        }
        LuaTable meta = new LuaTable();
        meta.rawset(INDEX, globals.get("string"));
        guard.stringMeta(meta);
        LuaValue getmetatable = globals.get("getmetatable");
        globals.set("getmetatable", new VarArgFunction() {
            {
                name = "getmetatable";
            }

            @Override
            public Varargs invoke(Varargs args) {
                if (args.arg1().type() != TSTRING) return getmetatable.invoke(args);
                LuaValue protectedBy = meta.rawget(METATABLE);
                return protectedBy.isnil() ? meta : protectedBy;
            }
        });
    }

    private static final LuaString INDEX = LuaValue.INDEX;
    private static final LuaString METATABLE = LuaValue.METATABLE;

    private static LuaValue current() {
        LuaTable m = Guard.current().stringMeta();
        if (m != null) return m;
        LuaValue f = fallback;
        return f != null && f.istable() ? f : EMPTY;
    }

    private static final LuaTable EMPTY = new LuaTable();

    /** The JVM's string metatable: reads go to the calling engine's. */
    private static final class Dispatch extends LuaTable {
        @Override
        public LuaValue rawget(LuaValue key) {
            return current().rawget(key);
        }

        @Override
        public LuaValue rawget(int key) {
            return current().rawget(key);
        }

        @Override
        public LuaValue get(LuaValue key) {
            return current().get(key);
        }
    }
}
