package eplua.jsr223;

import eplua.core.convert.LuaConvert;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Value conversion for one script engine: {@link LuaConvert}'s rules, with two differences.
 * <ul>
 * <li>Strings go through real UTF-8 both ways. LuaJ 3.0.1's {@code LuaValue.valueOf(String)} writes a supplementary
 * character (an emoji) as two 3-byte surrogates and {@code tojstring()} misreads 4-byte sequences, so text from
 * Java would not match text read from a socket, a file or {@code io.read}.</li>
 * <li>Every Map or List made from a Lua table is remembered (weakly, by identity), so handing it back to Lua hands
 * back the original table: invokeMethod needs the real object, and Lua compares tables by identity.</li>
 * </ul>
 * Conversions that read tables run on the loop.
 */
final class Marshal {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Map<Ref, LuaTable> origins = new HashMap<>();

    LuaValue toLua(Object o) {
        return toLua(o, null);
    }

    private LuaValue toLua(Object o, IdentityHashMap<Object, LuaValue> seen) {
        if (o == null) return LuaValue.NIL;
        if (o instanceof LuaValue) return (LuaValue) o;
        if (o instanceof CharSequence || o instanceof Character) return utf8(o.toString());
        boolean array = o.getClass().isArray() && !(o instanceof byte[]);
        if (!(o instanceof Map || o instanceof Iterable || array)) return LuaConvert.toLua(o);
        LuaTable origin = origin(o);
        if (origin != null) return origin;
        if (seen == null) seen = new IdentityHashMap<>();
        LuaValue done = seen.get(o);
        if (done != null) return done;
        LuaTable t = new LuaTable();
        seen.put(o, t);
        if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet())
                if (e.getKey() != null) t.rawset(toLua(e.getKey(), seen), toLua(e.getValue(), seen));
        } else if (o instanceof Iterable) {
            int i = 1;
            for (Object x : (Iterable<?>) o) t.rawset(i++, toLua(x, seen));
        } else {
            for (int i = 0, n = Array.getLength(o); i < n; i++) t.rawset(i + 1, toLua(Array.get(o, i), seen));
        }
        return t;
    }

    static LuaString utf8(String s) {
        return LuaString.valueOf(s.getBytes(StandardCharsets.UTF_8));
    }

    Varargs toLuaArgs(Object... args) {
        if (args == null || args.length == 0) return LuaValue.NONE;
        LuaValue[] v = new LuaValue[args.length];
        for (int i = 0; i < args.length; i++) v[i] = toLua(args[i]);
        return LuaValue.varargsOf(v);
    }

    /** Converts a Lua value; a table must be read on the loop. */
    Object toJava(LuaValue v) {
        return toJava(v, null);
    }

    private Object toJava(LuaValue v, IdentityHashMap<LuaValue, Object> seen) {
        if (v.type() == LuaValue.TSTRING) return new String(LuaConvert.toBytes(v), StandardCharsets.UTF_8);
        if (v.type() != LuaValue.TTABLE) return LuaConvert.toJava(v);
        LuaTable t = (LuaTable) v;
        if (seen == null) seen = new IdentityHashMap<>();
        Object done = seen.get(t);
        if (done != null) return done;
        int n = t.rawlen();
        Object out;
        if (n > 0 && countKeys(t) == n) { // a sequence {1..n}: a List
            List<Object> list = new ArrayList<>(n);
            seen.put(t, list);
            for (int i = 1; i <= n; i++) list.add(toJava(t.rawget(i), seen));
            out = list;
        } else {
            Map<Object, Object> map = new LinkedHashMap<>();
            seen.put(t, map);
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs kv = t.next(k);
                if ((k = kv.arg1()).isnil()) break;
                map.put(toJava(k, seen), toJava(kv.arg(2), seen));
            }
            out = map;
        }
        remember(out, t);
        return out;
    }

    private static int countKeys(LuaTable t) {
        int c = 0;
        for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) c++;
        return c;
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
