package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.StringJoiner;

/**
 * Lua values as arguments of a Java parameter type: how well a value fits a type ({@link #cost}, used to choose
 * among overloads) and the Java value it becomes ({@link #coerce}). Costs are small integers, 0 for an exact fit;
 * {@link #NO} when the value cannot become the type at all.
 */
final class JavaArgs {
    private JavaArgs() {}

    static final int NO = Integer.MAX_VALUE / 4;
    /** What fits {@code Object} only (any value does): worse than every specific parameter type. */
    private static final int AS_OBJECT = 20;

    static int cost(LuaValue v, Class<?> t) {
        switch (v.type()) {
            case LuaValue.TNIL:
            case LuaValue.TNONE:
                return t.isPrimitive() ? NO : 0;
            case LuaValue.TBOOLEAN:
                if (t == boolean.class || t == Boolean.class) return 0;
                return t.isAssignableFrom(Boolean.class) ? AS_OBJECT : luaTyped(v, t);
            case LuaValue.TNUMBER:
                return numberCost(v.todouble(), t);
            case LuaValue.TSTRING:
                return stringCost((LuaString) v.checkstring(), t);
            case LuaValue.TTABLE:
                return tableCost((LuaTable) v, t);
            case LuaValue.TFUNCTION:
                if (t.isInstance(v) && t != Object.class) return 0;
                if (functionalMethod(t) != null) return 2;
                return t == Object.class ? AS_OBJECT : NO;
            case LuaValue.TUSERDATA:
            case LuaValue.TLIGHTUSERDATA: {
                Object o = v.touserdata();
                if (o != null && t.isInstance(o)) return distance(o.getClass(), t);
                if (o != null && t.isPrimitive() && box(t).isInstance(o)) return 0;
                return luaTyped(v, t);
            }
            default:
                return t.isInstance(v) ? (t == Object.class ? AS_OBJECT : 0) : NO;
        }
    }

    /** A parameter declared as a LuaJ type (LuaValue, LuaTable...) takes the Lua value itself. */
    private static int luaTyped(LuaValue v, Class<?> t) {
        return t != Object.class && t.isInstance(v) ? 1 : NO;
    }

    private static int numberCost(double d, Class<?> t) {
        boolean integral = d == Math.rint(d) && !Double.isInfinite(d);
        if (t == int.class || t == Integer.class) return integral && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? 0 : NO;
        if (t == long.class || t == Long.class) return integral && Math.abs(d) <= 0x1p63 ? 1 : NO;
        if (t == double.class || t == Double.class) return integral ? 2 : 0;
        if (t == float.class || t == Float.class) return integral ? 3 : 1;
        if (t == short.class || t == Short.class) return integral && d >= Short.MIN_VALUE && d <= Short.MAX_VALUE ? 4 : NO;
        if (t == byte.class || t == Byte.class) return integral && d >= Byte.MIN_VALUE && d <= Byte.MAX_VALUE ? 5 : NO;
        if (t == Number.class) return 6;
        if (t == String.class || t == CharSequence.class) return AS_OBJECT + 5; // as Lua does; Object is preferred
        if (t.isAssignableFrom(Integer.class) || t.isAssignableFrom(Double.class)) return AS_OBJECT; // Object, Comparable...
        return t != Object.class && t.isInstance(LuaValue.ZERO) ? 1 : NO;
    }

    private static int stringCost(LuaString s, Class<?> t) {
        if (t == String.class) return 0;
        if (t == CharSequence.class) return 1;
        if ((t == char.class || t == Character.class) && LuaConvert.string(s).length() == 1) return 3;
        if (t == byte[].class) return 4;
        if (t.isEnum()) return enumConstant(t, s) != null ? 2 : NO;
        if (t.isAssignableFrom(String.class)) return AS_OBJECT; // Object, Comparable, Serializable
        return t.isInstance(s) ? 1 : NO;
    }

    private static int tableCost(LuaTable tbl, Class<?> t) {
        if (t == Object.class) return AS_OBJECT;
        if (t.isInstance(tbl)) return 0;
        if (t.isArray()) return 4;
        if (t.isAssignableFrom(ArrayList.class)) return 3; // List, Collection, Iterable: the sequence
        if (t.isAssignableFrom(LinkedHashMap.class)) return 3; // Map
        return NO;
    }

    /** How far {@code c} is from {@code t} (which it is an instance of): the closer type wins among overloads. */
    private static int distance(Class<?> c, Class<?> t) {
        if (c == t) return 0;
        if (t == Object.class) return AS_OBJECT - 1;
        if (t.isInterface()) return 8;
        int d = 0;
        for (Class<?> s = c; s != null && s != t; s = s.getSuperclass()) d++;
        return Math.min(d, 7);
    }

    /**
     * The Java value of {@code v} for a parameter of type {@code t} (whose {@link #cost} was not {@link #NO}); a
     * Lua function for a functional interface becomes a {@link Callback}.
     */
    static Object coerce(LuaValue v, Class<?> t) {
        switch (v.type()) {
            case LuaValue.TNIL:
            case LuaValue.TNONE:
                return null;
            case LuaValue.TBOOLEAN:
                return t.isInstance(v) && t != Object.class ? v : v.toboolean();
            case LuaValue.TNUMBER:
                return number(v, t);
            case LuaValue.TSTRING:
                if (t == byte[].class) return LuaConvert.toBytes(v);
                if (t.isEnum()) return enumConstant(t, (LuaString) v.checkstring());
                if (t == char.class || t == Character.class) return LuaConvert.string(v).charAt(0);
                if (t != Object.class && t.isInstance(v)) return v;
                return LuaConvert.string(v);
            case LuaValue.TTABLE: {
                LuaTable tbl = (LuaTable) v;
                if (t != Object.class && t.isInstance(tbl)) return tbl;
                if (t.isArray()) return array(tbl, t.getComponentType());
                if (t.isAssignableFrom(ArrayList.class) && !t.isAssignableFrom(LinkedHashMap.class)) return LuaConvert.toJavaList(tbl);
                if (t.isAssignableFrom(LinkedHashMap.class) && !t.isAssignableFrom(ArrayList.class)) return LuaConvert.toJavaMap(tbl);
                return LuaConvert.toJava(tbl);
            }
            case LuaValue.TFUNCTION:
                if (t.isInstance(v)) return v;
                return Callback.proxy(v, t, functionalMethod(t));
            case LuaValue.TUSERDATA:
            case LuaValue.TLIGHTUSERDATA: {
                Object o = v.touserdata();
                if (o != null && (t.isInstance(o) || t.isPrimitive())) return o;
                return v;
            }
            default:
                return v;
        }
    }

    private static Object number(LuaValue v, Class<?> t) {
        if (t == int.class || t == Integer.class) return v.toint();
        if (t == long.class || t == Long.class) return (long) v.todouble();
        if (t == double.class || t == Double.class) return v.todouble();
        if (t == float.class || t == Float.class) return (float) v.todouble();
        if (t == short.class || t == Short.class) return (short) v.toint();
        if (t == byte.class || t == Byte.class) return (byte) v.toint();
        if (t == String.class || t == CharSequence.class) return v.tojstring();
        if (t != Object.class && t.isInstance(v)) return v;
        return LuaConvert.number(v.todouble());
    }

    /** A sequence as a Java array of {@code component}; an element that does not fit is an error. */
    static Object array(LuaTable tbl, Class<?> component) {
        int n = tbl.rawlen();
        Object a = Array.newInstance(component, n);
        for (int i = 0; i < n; i++) {
            LuaValue e = tbl.rawget(i + 1);
            if (cost(e, component) >= NO)
                throw new LuaError("element " + (i + 1) + " (" + e.typename() + ") cannot be a " + component.getSimpleName());
            Array.set(a, i, coerce(e, component));
        }
        return a;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> t, LuaString name) {
        try {
            return Enum.valueOf((Class) t, LuaConvert.string(name));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Class<?> box(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == double.class) return Double.class;
        if (p == boolean.class) return Boolean.class;
        if (p == float.class) return Float.class;
        if (p == short.class) return Short.class;
        if (p == byte.class) return Byte.class;
        if (p == char.class) return Character.class;
        return p;
    }

    private static final ClassValue<Method> FUNCTIONAL = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> t) {
            if (!t.isInterface() || !Modifier.isPublic(t.getModifiers())) return null;
            Method single = null;
            for (Method m : t.getMethods()) {
                if (!Modifier.isAbstract(m.getModifiers()) || isObjectMethod(m)) continue;
                if (single != null) return null;
                single = m;
            }
            return single;
        }
    };

    /** The one abstract method of a public interface a Lua function can implement, or null. */
    static Method functionalMethod(Class<?> t) {
        return FUNCTIONAL.get(t);
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Lua arguments {@code from..to} for an error message: {@code (string, number, ArrayList)}. */
    static String describe(Varargs args, int from, int to) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (int i = from; i <= to; i++) j.add(typeName(args.arg(i)));
        return j.toString();
    }

    /** A Lua value's type for messages; a Java object's is its class. */
    static String typeName(LuaValue v) {
        Object o = v.isuserdata() ? v.touserdata() : null;
        return o != null ? o.getClass().getSimpleName() : v.typename();
    }
}
