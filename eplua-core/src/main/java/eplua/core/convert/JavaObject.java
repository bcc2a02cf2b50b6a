package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.Collection;
import java.util.Iterator;

/**
 * A Java object as a Lua value: a userdata whose {@code obj.name} is a public method (called as
 * {@code obj:name(args)}), a public field or a bean property ({@link JavaClassInfo}); {@code obj.name = v} sets a
 * field or calls a setter. It is the object itself: {@link #touserdata()} hands back the same instance, two wrappers
 * of one object are {@code ==} and the same table key, and {@code tostring(obj)} is its {@code toString()}. A
 * {@link Collection}'s {@code #obj} is its size and an {@link Iterable} works with {@code pairs} and
 * {@code ipairs} (index, element). Maps, lists and arrays have their own views ({@link JavaMapView},
 * {@link JavaListView}, {@link JavaArrayView}).
 *
 * <p>The metatables are shared by every engine, so they are protected: {@code getmetatable(obj)} is the string
 * {@code "java"}.
 */
class JavaObject extends LuaUserdata {
    static final LuaValue PROTECTED = LuaValue.valueOf("java");
    static final LuaTable OBJECT_META = meta(null, null);
    static final LuaTable ITERABLE_META = meta(new IterablePairs(), new IterablePairs());

    final JavaClassInfo info;

    JavaObject(Object o) {
        this(o, o instanceof Iterable ? ITERABLE_META : OBJECT_META);
    }

    JavaObject(Object o, LuaTable meta) {
        super(o, meta);
        this.info = JavaClassInfo.of(o.getClass());
    }

    static LuaTable meta(LuaValue pairs, LuaValue ipairs) {
        LuaTable t = new LuaTable();
        t.rawset(TOSTRING, new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue self) {
                return LuaConvert.utf8Lua(String.valueOf(self.touserdata()));
            }
        });
        if (pairs != null) t.rawset(LuaValue.valueOf("__pairs"), pairs);
        if (ipairs != null) t.rawset(LuaValue.valueOf("__ipairs"), ipairs);
        t.rawset(METATABLE, PROTECTED);
        return t;
    }

    @Override
    public LuaValue get(LuaValue key) {
        return info.get(m_instance, key);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        info.set(m_instance, key, value);
    }

    @Override
    public LuaValue len() {
        return LuaInteger.valueOf(length());
    }

    @Override
    public int length() {
        if (m_instance instanceof Collection) return ((Collection<?>) m_instance).size();
        throw new LuaError("attempt to get length of a Java object (" + m_instance.getClass().getName() + ")");
    }

    /** Element {@code i} (1-based) of a list or array view, nil past the end. */
    LuaValue at(int i) {
        return NIL;
    }

    @Override
    public String tojstring() {
        return String.valueOf(m_instance);
    }

    // identity: a wrapper is the object it wraps, whichever wrapper Lua got
    @Override
    public int hashCode() {
        return System.identityHashCode(m_instance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JavaObject && ((JavaObject) o).m_instance == m_instance;
    }

    @Override
    public boolean raweq(LuaValue val) {
        return val instanceof JavaObject && ((JavaObject) val).m_instance == m_instance;
    }

    @Override
    public boolean raweq(LuaUserdata val) {
        return val instanceof JavaObject && val.m_instance == m_instance;
    }

    @Override
    public boolean eq_b(LuaValue val) {
        return raweq(val);
    }

    @Override
    public LuaValue eq(LuaValue val) {
        return raweq(val) ? TRUE : FALSE;
    }

    /** A {@code __pairs}/{@code __ipairs} metamethod: {@link #call} makes a stateful iterator for one loop. */
    abstract static class Loop extends OneArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            return varargsOf(call(args.arg1()), args.arg1(), NIL);
        }
    }

    /** {@code pairs}/{@code ipairs} of an Iterable: (1, first), (2, second)... from its iterator. */
    private static final class IterablePairs extends Loop {
        @Override
        public LuaValue call(LuaValue self) {
            Iterator<?> it = ((Iterable<?>) self.checkuserdata()).iterator();
            return new VarArgFunction() {
                private int i;

                @Override
                public Varargs invoke(Varargs args) {
                    if (!it.hasNext()) return NIL;
                    return varargsOf(LuaInteger.valueOf(++i), LuaConvert.toLua(it.next()));
                }
            };
        }
    }
}
