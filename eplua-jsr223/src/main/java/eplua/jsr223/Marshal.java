package eplua.jsr223;

import eplua.core.convert.LuaConvert;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Value conversion for one script engine, over {@link LuaConvert}. A top-level Map or List made from a Lua table is
 * remembered (weakly, by identity), so handing it back to Lua hands back the original table: invokeMethod needs the
 * real object, and Lua code may compare tables by identity. Conversions that read tables run on the loop.
 */
final class Marshal {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Map<Ref, LuaTable> origins = new HashMap<>();

    LuaValue toLua(Object o) {
        if (o == null) return LuaValue.NIL;
        if (o instanceof LuaValue) return (LuaValue) o;
        if (o instanceof Map || o instanceof List) {
            LuaTable t = origin(o);
            if (t != null) return t;
        }
        return LuaConvert.toLua(o);
    }

    Varargs toLuaArgs(Object... args) {
        if (args == null || args.length == 0) return LuaValue.NONE;
        LuaValue[] v = new LuaValue[args.length];
        for (int i = 0; i < args.length; i++) v[i] = toLua(args[i]);
        return LuaValue.varargsOf(v);
    }

    /** Converts a Lua value; a table must be read on the loop. */
    Object toJava(LuaValue v) {
        Object j = LuaConvert.toJava(v);
        if (v.istable() && (j instanceof Map || j instanceof List)) remember(j, (LuaTable) v);
        return j;
    }

    /** The table a Java Map/List was made from, or null. */
    synchronized LuaTable origin(Object javaValue) {
        expunge();
        return origins.get(new Ref(javaValue, null));
    }

    private synchronized void remember(Object javaValue, LuaTable t) {
        expunge();
        origins.put(new Ref(javaValue, queue), t);
    }

    private void expunge() {
        for (Object r; (r = queue.poll()) != null; ) origins.remove(r);
    }

    /** Identity key that does not keep the Java object alive. */
    private static final class Ref extends WeakReference<Object> {
        private final int hash;

        Ref(Object o, ReferenceQueue<Object> q) {
            super(o, q);
            hash = System.identityHashCode(o);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            if (!(o instanceof Ref)) return false;
            Object mine = get();
            return mine != null && mine == ((Ref) o).get();
        }
    }
}
