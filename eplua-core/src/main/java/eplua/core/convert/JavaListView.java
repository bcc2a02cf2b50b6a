package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.List;

/**
 * A Java {@link List} as a live Lua sequence: {@code list[i]} is element {@code i - 1} (nil outside), {@code #list}
 * the size, {@code list[#list + 1] = v} appends, {@code list[#list] = nil} removes the last element, other
 * assignments replace; {@code ipairs} and {@code pairs} walk it by index. Its methods stay callable
 * ({@code list:add(x)}, {@code list:size()}).
 */
final class JavaListView extends JavaObject {
    static final LuaTable META = meta(new IndexPairs(), new IndexPairs());

    JavaListView(List<?> list) {
        super(list, META);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list() {
        return (List<Object>) m_instance;
    }

    @Override
    public LuaValue get(LuaValue key) {
        int i = index(key);
        if (i == 0) return super.get(key);
        List<Object> l = list();
        return i <= l.size() ? LuaConvert.toLua(l.get(i - 1)) : NIL;
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        int i = index(key);
        if (i == 0) {
            super.set(key, value);
            return;
        }
        List<Object> l = list();
        int n = l.size();
        try {
            if (i == n + 1 && !value.isnil()) l.add(LuaConvert.toJava(value));
            else if (i == n && value.isnil()) l.remove(n - 1);
            else if (i <= n) l.set(i - 1, LuaConvert.toJava(value));
            else if (!value.isnil())
                throw new LuaError("index " + i + " out of range: the list has " + n + " elements");
        } catch (UnsupportedOperationException e) {
            throw new LuaError("cannot set [" + i + "]: the list is read-only (" + m_instance.getClass().getName() + ")");
        } catch (LuaError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LuaError(e.toString());
        }
    }

    /** A positive integer key, or 0 for any other key. */
    static int index(LuaValue key) {
        if (key.type() != TNUMBER) return 0;
        double d = key.todouble();
        int i = (int) d;
        return i == d && i > 0 ? i : 0;
    }

    @Override
    public int length() {
        return list().size();
    }

    @Override
    LuaValue at(int i) {
        List<Object> l = list();
        return i <= l.size() ? LuaConvert.toLua(l.get(i - 1)) : NIL;
    }
}
