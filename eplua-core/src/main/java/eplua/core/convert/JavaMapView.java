package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.Map;

/**
 * A Java {@link Map} as a live Lua table: {@code m.k} and {@code m[k]} read {@code get}, {@code m.k = v} is
 * {@code put} ({@code nil} removes), {@code #m} is the size, {@code pairs(m)} walks a snapshot of the entries and
 * {@code ipairs(m)} reads keys 1, 2, 3... Keys and values are converted as any value crossing over (a Lua number key
 * is an Integer when integral, see {@link LuaConvert#number}). The map's methods stay callable: a string key that
 * names one of its public methods ({@code m.size}, {@code m:get(k)}) is the method, since {@code m:size()} and
 * {@code m.size} are the same lookup in Lua; such a key's entry is read with {@code m:get(k)}.
 */
final class JavaMapView extends JavaObject {
    static final LuaTable META = meta(new Pairs(), new IntPairs());

    JavaMapView(Map<?, ?> map) {
        super(map, META);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map() {
        return (Map<Object, Object>) m_instance;
    }

    @Override
    public LuaValue get(LuaValue key) {
        if (key.type() == TSTRING) {
            JavaMethod m = info.method(key);
            if (m != null) return m;
        }
        try {
            return LuaConvert.toLua(map().get(LuaConvert.toJava(key)));
        } catch (RuntimeException e) {
            throw new LuaError(e.toString()); // a TreeMap with keys of another type, a map refusing lookups
        }
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        Object k = LuaConvert.toJava(key);
        try {
            if (value.isnil()) map().remove(k);
            else map().put(k, LuaConvert.toJava(value));
        } catch (UnsupportedOperationException e) {
            throw new LuaError("cannot set '" + key.tojstring() + "': the map is read-only ("
                    + m_instance.getClass().getName() + ")");
        } catch (RuntimeException e) {
            throw new LuaError(e.toString());
        }
    }

    @Override
    public int length() {
        return map().size();
    }

    /** {@code pairs(m)}: the entries as they were when the loop started, so the loop may change the map. */
    private static final class Pairs extends Loop {
        @Override
        public LuaValue call(LuaValue self) {
            Object[] entries = ((Map<?, ?>) self.checkuserdata()).entrySet().toArray();
            return new VarArgFunction() {
                private int i;

                @Override
                public Varargs invoke(Varargs args) {
                    if (i >= entries.length) return NIL;
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) entries[i++];
                    return varargsOf(LuaConvert.toLua(e.getKey()), LuaConvert.toLua(e.getValue()));
                }
            };
        }
    }

    /** {@code ipairs(m)}: m[1], m[2]... up to the first key missing. */
    private static final class IntPairs extends Loop {
        @Override
        public LuaValue call(LuaValue self) {
            Map<?, ?> map = (Map<?, ?>) self.checkuserdata();
            return new VarArgFunction() {
                private int i;

                @Override
                public Varargs invoke(Varargs args) {
                    Object v = map.get(i + 1);
                    if (v == null) return NIL;
                    return varargsOf(LuaInteger.valueOf(++i), LuaConvert.toLua(v));
                }
            };
        }
    }
}
