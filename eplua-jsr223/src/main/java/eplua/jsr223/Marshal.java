package eplua.jsr223;

import eplua.core.convert.LuaConvert;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Value conversion for one script engine: {@link LuaConvert}'s rules, plus memory: every Map or List made from a
 * Lua table is remembered (weakly, by identity), so handing it back to Lua hands back the original table
 * (invokeMethod needs the real object, and Lua compares tables by identity). Conversions that read tables run on
 * the loop.
 */
final class Marshal {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Map<Ref, LuaTable> tables = new HashMap<>();

    LuaValue toLua(Object o) {
        return LuaConvert.toLua(o, origins);
    }

    static LuaString utf8(String s) {
        return LuaConvert.utf8Lua(s);
    }

    Varargs toLuaArgs(Object... args) {
        return LuaConvert.toLuaArgs(origins, args);
    }

    /** Converts a Lua value; a table must be read on the loop. */
    Object toJava(LuaValue v) {
        return LuaConvert.toJava(v, origins);
    }

    private final LuaConvert.Origins origins = new LuaConvert.Origins() {
        @Override
        public LuaTable tableOf(Object javaValue) {
            return origin(javaValue);
        }

        @Override
        public void madeFrom(Object javaValue, LuaTable table) {
            remember(javaValue, table);
        }
    };

    /** The table a Java Map/List was made from, or null. */
    synchronized LuaTable origin(Object javaValue) {
        expunge();
        return tables.get(new Ref(javaValue, null));
    }

    private synchronized void remember(Object javaValue, LuaTable t) {
        expunge();
        tables.put(new Ref(javaValue, queue), t);
    }

    private void expunge() {
        for (Object r; (r = queue.poll()) != null; ) tables.remove(r);
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
