package eplua.jsr223;

import eplua.core.Engine;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import javax.script.Bindings;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Bindings} that are a Lua table: the engine's globals (ENGINE_SCOPE) or an environment table made by
 * {@code createBindings()}. Every access is marshalled onto the engine's loop ({@link Engine#call}, inline when
 * already there); keys are the table's string keys, values are converted both ways. Reads are raw: a name missing
 * here is missing, even if Lua would find it through the table's {@code __index} (GLOBAL_SCOPE, standard library).
 */
final class LuaBindings extends AbstractMap<String, Object> implements Bindings {
    private final EpluaScriptEngine owner;
    private final Engine engine;
    private final LuaTable table;

    LuaBindings(EpluaScriptEngine owner, LuaTable table) {
        this.owner = owner;
        this.engine = owner.engine();
        this.table = table;
    }

    /** The Lua table behind these bindings; touch it only on the loop. */
    LuaTable table() {
        return table;
    }

    EpluaScriptEngine owner() {
        return owner;
    }

    private static String checkKey(Object key) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof String)) throw new ClassCastException("key must be a String");
        if (((String) key).isEmpty()) throw new IllegalArgumentException("key is empty");
        return (String) key;
    }

    @Override
    public Object put(String name, Object value) {
        String k = checkKey(name);
        owner.profileAttribute(k, value);
        return engine.call(() -> {
            LuaValue old = table.rawget(Marshal.utf8(k));
            table.rawset(Marshal.utf8(k), owner.marshal().toLua(value));
            return old.isnil() ? null : owner.marshal().toJava(old);
        });
    }

    @Override
    public void putAll(Map<? extends String, ? extends Object> toMerge) {
        Objects.requireNonNull(toMerge, "toMerge");
        for (String k : toMerge.keySet()) checkKey(k);
        for (Map.Entry<? extends String, ?> e : toMerge.entrySet()) owner.profileAttribute(e.getKey(), e.getValue());
        engine.call(() -> {
            for (Map.Entry<? extends String, ?> e : toMerge.entrySet())
                table.rawset(Marshal.utf8(e.getKey()), owner.marshal().toLua(e.getValue()));
            return null;
        });
    }

    @Override
    public Object get(Object key) {
        String k = checkKey(key);
        return engine.call(() -> {
            LuaValue v = table.rawget(Marshal.utf8(k));
            return v.isnil() ? null : owner.marshal().toJava(v);
        });
    }

    @Override
    public boolean containsKey(Object key) {
        String k = checkKey(key);
        return engine.call(() -> !table.rawget(Marshal.utf8(k)).isnil());
    }

    @Override
    public Object remove(Object key) {
        String k = checkKey(key);
        return engine.call(() -> {
            LuaValue old = table.rawget(Marshal.utf8(k));
            if (old.isnil()) return null;
            table.rawset(Marshal.utf8(k), LuaValue.NIL);
            return owner.marshal().toJava(old);
        });
    }

    @Override
    public int size() {
        return engine.call(() -> keys().size());
    }

    @Override
    public void clear() {
        engine.call(() -> {
            for (LuaValue k : keys()) table.rawset(k, LuaValue.NIL);
            return null;
        });
    }

    /** The string keys, in table order. Loop only. */
    private List<LuaValue> keys() {
        List<LuaValue> out = new ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs kv = table.next(k);
            if ((k = kv.arg1()).isnil()) return out;
            if (k.type() == LuaValue.TSTRING) out.add(k);
        }
    }

    /**
     * A snapshot of the names; values are converted when asked for (converting all of {@code _G} up front would copy
     * the whole standard library). Removing through the iterator and {@code setValue} write through.
     */
    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                List<String> names = engine.call(() -> {
                    List<String> n = new ArrayList<>();
                    for (LuaValue k : keys()) n.add((String) owner.marshal().toJava(k));
                    return n;
                });
                return new Iterator<>() {
                    private int i;
                    private String last;

                    @Override
                    public boolean hasNext() {
                        return i < names.size();
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        last = names.get(i++);
                        return new Entry(last);
                    }

                    @Override
                    public void remove() {
                        if (last == null) throw new IllegalStateException();
                        LuaBindings.this.remove(last);
                        last = null;
                    }
                };
            }

            @Override
            public int size() {
                return LuaBindings.this.size();
            }
        };
    }

    private final class Entry implements Map.Entry<String, Object> {
        private final String key;

        Entry(String key) {
            this.key = key;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return get(key);
        }

        @Override
        public Object setValue(Object value) {
            return put(key, value);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Map.Entry)) return false;
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }

    /** Printing all of {@code _G} would recurse through {@code _G._G}; name the bindings instead. */
    @Override
    public String toString() {
        return "LuaBindings[" + engine.name() + (table instanceof org.luaj.vm2.Globals ? " globals" : " env") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
