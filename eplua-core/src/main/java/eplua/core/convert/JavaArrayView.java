package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.lang.reflect.Array;

/**
 * A Java array as a live Lua sequence of fixed length: {@code a[i]} is element {@code i - 1}, {@code #a} and
 * {@code a.length} the length, {@code a[i] = v} stores {@code v} converted to the element type; {@code ipairs} and
 * {@code pairs} walk it by index. A {@code byte[]} is an array too: {@code java.string(a)} makes a Lua string of it.
 */
final class JavaArrayView extends JavaObject {
    static final LuaTable META = meta(new IndexPairs(), new IndexPairs());
    private static final LuaValue LENGTH = valueOf("length");

    JavaArrayView(Object array) {
        super(array, META);
    }

    @Override
    public LuaValue get(LuaValue key) {
        int i = JavaListView.index(key);
        if (i == 0) return key.raweq(LENGTH) ? LuaInteger.valueOf(length()) : super.get(key);
        return at(i);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        int i = JavaListView.index(key);
        int n = length();
        if (i == 0 || i > n) throw new LuaError("index " + key.tojstring() + " out of range: the array has " + n + " elements");
        Class<?> component = m_instance.getClass().getComponentType();
        if (JavaArgs.cost(value, component) >= JavaArgs.NO)
            throw new LuaError("cannot store " + JavaArgs.typeName(value) + " in a " + component.getSimpleName() + " array");
        Array.set(m_instance, i - 1, JavaArgs.coerce(value, component));
    }

    @Override
    public int length() {
        return Array.getLength(m_instance);
    }

    @Override
    LuaValue at(int i) {
        return i <= length() ? LuaConvert.toLua(Array.get(m_instance, i - 1)) : NIL;
    }
}
