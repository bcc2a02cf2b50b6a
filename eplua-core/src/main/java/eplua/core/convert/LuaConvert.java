package eplua.core.convert;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Java &lt;-&gt; Lua values.
 *
 * <p>Java to Lua ({@link #toLua}): null is nil; {@link Boolean}, {@link Number} (see below), {@link String} and
 * {@link Character} become Lua booleans, numbers and strings; a {@link LuaValue} passes as it is. Every other object
 * reaches Lua as itself: a userdata whose public methods, fields and bean properties Lua uses
 * ({@code obj:method(args)}, {@code obj.field}), that comes back to Java as the same object. {@link Map}s,
 * {@link List}s and arrays are also live tables ({@code m.k}, {@code list[1]}, {@code #list}, {@code pairs},
 * {@code ipairs}, assignment writes through); a {@code CompletableFuture} is what Lua's {@code await} takes.
 * {@link #copyToLua} copies collections into real Lua tables instead.
 *
 * <p>Lua to Java ({@link #toJava}): nil is null, booleans {@link Boolean}, strings {@link String} (UTF-8) or
 * {@code byte[]} through {@link #toBytes}, a Java object the object itself, a table a snapshot: a sequence an
 * {@link ArrayList}, any other table a {@link LinkedHashMap} (shared and cyclic tables are converted once, so a
 * cycle stays a cycle); functions and coroutines stay Lua values. An integral number that fits an {@code int} is an
 * {@link Integer}, one that fits a {@code long} (|v| &lt; 2^53) a {@link Long}, anything else a {@link Double}.
 */
public final class LuaConvert {
    private LuaConvert() {}

    /**
     * Lets a host keep table identity across conversions: a Map or List made from a Lua table converts back to
     * that same table (javax.script's invokeMethod needs the real object; Lua compares tables by identity).
     */
    public interface Origins {
        /** The table {@code javaValue} was made from, or null. */
        LuaTable tableOf(Object javaValue);

        /** {@code javaValue} was just made from {@code table}. */
        void madeFrom(Object javaValue, LuaTable table);
    }

    public static LuaValue toLua(Object o) {
        if (o == null) return LuaValue.NIL;
        if (o instanceof LuaValue) return (LuaValue) o;
        if (o instanceof String) return utf8Lua((String) o);
        if (o instanceof Boolean) return LuaValue.valueOf((Boolean) o);
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) return LuaValue.valueOf(((Number) o).intValue());
        if (o instanceof Long) {
            long l = (Long) o;
            return l == (int) l ? LuaValue.valueOf((int) l) : LuaValue.valueOf((double) l);
        }
        if (o instanceof Number) return LuaValue.valueOf(((Number) o).doubleValue());
        if (o instanceof Character) return utf8Lua(o.toString());
        if (o instanceof Map) return new JavaMapView((Map<?, ?>) o);
        if (o instanceof List) return new JavaListView((List<?>) o);
        if (o.getClass().isArray()) return new JavaArrayView(o);
        return new JavaObject(o);
    }

    /** As {@link #toLua(Object)}, mapping Java collections made from tables back to those tables. */
    public static LuaValue toLua(Object o, Origins origins) {
        if (origins != null && (o instanceof Map || o instanceof List)) {
            LuaTable origin = origins.tableOf(o);
            if (origin != null) return origin;
        }
        return toLua(o);
    }

    /**
     * A copy as plain Lua data: a {@link Map} becomes a table, a {@link Collection} or an array a sequence (nested
     * ones too; shared and cyclic ones are copied once), a {@code byte[]} a Lua string; anything else as
     * {@link #toLua(Object)}. For results a script should own, like a list of topics.
     */
    public static LuaValue copyToLua(Object o) {
        return copy(o, new IdentityHashMap<>());
    }

    private static LuaValue copy(Object o, IdentityHashMap<Object, LuaValue> seen) {
        if (o instanceof byte[]) return LuaString.valueOf(((byte[]) o).clone());
        boolean array = o != null && o.getClass().isArray();
        if (!(o instanceof Map || o instanceof Collection || array)) return toLua(o);
        LuaValue done = seen.get(o);
        if (done != null) return done;
        LuaTable t = new LuaTable();
        seen.put(o, t);
        if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet())
                if (e.getKey() != null) t.rawset(copy(e.getKey(), seen), copy(e.getValue(), seen));
        } else if (array) {
            int n = Array.getLength(o);
            for (int i = 0; i < n; i++) t.rawset(i + 1, copy(Array.get(o, i), seen));
        } else {
            int i = 1;
            for (Object x : (Collection<?>) o) t.rawset(i++, copy(x, seen));
        }
        return t;
    }

    /** Converts each Java value and packs them as Lua call arguments. */
    public static Varargs toLuaArgs(Object... args) {
        return toLuaArgs(null, args);
    }

    /** As {@link #toLuaArgs(Object...)}, with {@link Origins}. */
    public static Varargs toLuaArgs(Origins origins, Object... args) {
        if (args == null || args.length == 0) return LuaValue.NONE;
        LuaValue[] v = new LuaValue[args.length];
        for (int i = 0; i < args.length; i++) v[i] = toLua(args[i], origins);
        return LuaValue.varargsOf(v);
    }

    public static Object toJava(LuaValue v) {
        return toJava(v, null, null);
    }

    /** As {@link #toJava(LuaValue)}, telling {@code origins} which table each Map or List was made from. */
    public static Object toJava(LuaValue v, Origins origins) {
        return toJava(v, null, origins);
    }

    private static Object toJava(LuaValue v, IdentityHashMap<LuaValue, Object> seen, Origins origins) {
        switch (v.type()) {
            case LuaValue.TNIL:
            case LuaValue.TNONE:
                return null;
            case LuaValue.TBOOLEAN:
                return v.toboolean();
            case LuaValue.TNUMBER:
                return number(v.todouble());
            case LuaValue.TSTRING:
                return string(v);
            case LuaValue.TTABLE:
                return table((LuaTable) v, seen == null ? new IdentityHashMap<>() : seen, origins);
            case LuaValue.TUSERDATA:
            case LuaValue.TLIGHTUSERDATA:
                Object u = v.touserdata();
                return u != null ? u : v;
            default:
                return v; // functions and threads stay Lua values
        }
    }

    /** Converts every value of a Varargs. */
    public static Object[] toJavaArgs(Varargs args) {
        Object[] out = new Object[args.narg()];
        for (int i = 0; i < out.length; i++) out[i] = toJava(args.arg(i + 1), null, null);
        return out;
    }

    /** A Lua string's raw bytes (binary-safe), or null for nil. */
    public static byte[] toBytes(LuaValue v) {
        if (v.isnil()) return null;
        LuaString s = v.checkstring();
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    /**
     * A Java string as a Lua string of real UTF-8. LuaJ's own {@code LuaValue.valueOf(String)} writes characters
     * outside the BMP (emoji) as two 3-byte surrogates, which no other program reads back.
     */
    public static LuaString utf8Lua(String s) {
        return LuaString.valueOf(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A Lua string decoded as real UTF-8 (LuaJ's {@code tojstring()} garbles 4-byte sequences). */
    public static String string(LuaValue v) {
        LuaString s = v.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8);
    }

    /** Lua string from bytes without copying them again. */
    public static LuaString fromBytes(byte[] b) {
        return LuaString.valueOf(b);
    }

    public static Number number(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d)) {
            if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE && !(d == 0 && 1 / d < 0)) return (int) d;
            if (Math.abs(d) < 9.007199254740992E15) return (long) d;
        }
        return d;
    }

    private static Object table(LuaTable t, IdentityHashMap<LuaValue, Object> seen, Origins origins) {
        Object done = seen.get(t);
        if (done != null) return done;
        int n = t.rawlen();
        return n > 0 && countKeys(t) == n ? list(t, seen, origins) : map(t, seen, origins);
    }

    /** A snapshot of a table as a {@link LinkedHashMap}, even a sequence (keys 1..n); nested tables by the usual rule. */
    public static Map<Object, Object> toJavaMap(LuaTable t) {
        return map(t, new IdentityHashMap<>(), null);
    }

    /** A snapshot of elements 1..{@code #t} as an {@link ArrayList}; nested tables by the usual rule. */
    public static List<Object> toJavaList(LuaTable t) {
        return list(t, new IdentityHashMap<>(), null);
    }

    private static List<Object> list(LuaTable t, IdentityHashMap<LuaValue, Object> seen, Origins origins) {
        int n = t.rawlen();
        List<Object> list = new ArrayList<>(n);
        seen.put(t, list);
        for (int i = 1; i <= n; i++) list.add(toJava(t.rawget(i), seen, origins));
        if (origins != null) origins.madeFrom(list, t);
        return list;
    }

    private static Map<Object, Object> map(LuaTable t, IdentityHashMap<LuaValue, Object> seen, Origins origins) {
        Map<Object, Object> map = new LinkedHashMap<>();
        seen.put(t, map);
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs kv = t.next(k);
            if ((k = kv.arg1()).isnil()) break;
            map.put(toJava(k, seen, origins), toJava(kv.arg(2), seen, origins));
        }
        if (origins != null) origins.madeFrom(map, t);
        return map;
    }

    private static int countKeys(LuaTable t) {
        int c = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs kv = t.next(k);
            if ((k = kv.arg1()).isnil()) return c;
            c++;
        }
    }
}
