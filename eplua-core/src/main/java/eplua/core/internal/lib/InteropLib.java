package eplua.core.internal.lib;

import eplua.core.convert.LuaConvert;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.Collection;
import java.util.Map;

/**
 * Java values in Lua's own terms: {@code pairs} and {@code ipairs} as Lua 5.2 defines them (LuaJ 3.0.1's ignore the
 * {@code __pairs}/{@code __ipairs} metamethods through which Java maps, lists and arrays iterate), and the
 * {@code java} table of explicit copies: {@code java.totable(x)}, {@code java.tomap(t)}, {@code java.tolist(t)},
 * {@code java.bytes(s)}, {@code java.string(bytes)}. None of them reaches a Java class the host did not hand over.
 */
public final class InteropLib {
    private static final LuaValue PAIRS = LuaValue.valueOf("__pairs");
    private static final LuaValue IPAIRS = LuaValue.valueOf("__ipairs");

    private InteropLib() {}

    public static void install(Globals g) {
        LuaValue inext = g.get("ipairs").call(new LuaTable()); // LuaJ's own iterator, for plain tables
        g.set("pairs", pairs("pairs", PAIRS, g.get("next"), LuaValue.NIL));
        g.set("ipairs", pairs("ipairs", IPAIRS, inext, LuaValue.ZERO));
        g.set("java", library());
    }

    /** pairs/ipairs: the metamethod's three results if there is one, else the table iterator (tables only). */
    private static VarArgFunction pairs(String fname, LuaValue metamethod, LuaValue iterator, LuaValue start) {
        return new VarArgFunction() {
            {
                name = fname;
            }

            @Override
            public Varargs invoke(Varargs args) {
                LuaValue t = args.arg1();
                if (!(t instanceof LuaTable) || t.getmetatable() != null) {
                    LuaValue h = t.metatag(metamethod);
                    if (!h.isnil()) {
                        Varargs r = h.invoke(t);
                        return varargsOf(r.arg1(), r.arg(2), r.arg(3));
                    }
                }
                return varargsOf(iterator, args.checktable(1), start);
            }
        };
    }

    private static LuaTable library() {
        LuaTable java = new LuaTable();
        java.set("totable", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue x) {
                if (x.istable()) return x;
                Object o = x.isuserdata() ? x.touserdata() : null;
                if (o instanceof Map || o instanceof Collection || o != null && o.getClass().isArray())
                    return LuaConvert.copyToLua(o);
                throw new LuaError("bad argument #1 to 'totable' (Java map, collection or array expected, got "
                        + (o != null ? o.getClass().getName() : x.typename()) + ")");
            }
        });
        java.set("tomap", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaConvert.toLua(LuaConvert.toJavaMap(checkTable(t, "tomap")));
            }
        });
        java.set("tolist", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaConvert.toLua(LuaConvert.toJavaList(checkTable(t, "tolist")));
            }
        });
        java.set("bytes", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue s) {
                if (s.type() != LuaValue.TSTRING)
                    throw new LuaError("bad argument #1 to 'bytes' (string expected, got " + s.typename() + ")");
                return LuaConvert.toLua(LuaConvert.toBytes(s));
            }
        });
        java.set("string", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue b) {
                if (b.type() == LuaValue.TSTRING) return b;
                Object o = b.isuserdata() ? b.touserdata() : null;
                if (!(o instanceof byte[]))
                    throw new LuaError("bad argument #1 to 'string' (byte[] expected, got "
                            + (o != null ? o.getClass().getName() : b.typename()) + ")");
                return LuaConvert.fromBytes(((byte[]) o).clone());
            }
        });
        return java;
    }

    private static LuaTable checkTable(LuaValue t, String fn) {
        if (!t.istable()) throw new LuaError("bad argument #1 to '" + fn + "' (table expected, got " + t.typename() + ")");
        return (LuaTable) t;
    }
}
