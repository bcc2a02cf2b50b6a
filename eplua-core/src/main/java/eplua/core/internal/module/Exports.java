package eplua.core.internal.module;

import eplua.core.convert.LuaConvert;
import eplua.core.spi.LuaExport;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/** Turns {@link LuaExport} methods into Lua functions, with argument checks that name the function. */
public final class Exports {
    private Exports() {}

    /** The exported functions of {@code target}, by Lua name. */
    public static Map<String, LuaFunction> of(Object target) {
        Map<String, LuaFunction> out = new TreeMap<>();
        for (Method m : target.getClass().getMethods()) {
            LuaExport ann = m.getAnnotation(LuaExport.class);
            if (ann == null) continue;
            String name = ann.value().isEmpty() ? m.getName() : ann.value();
            if (out.containsKey(name))
                throw new IllegalArgumentException("two @LuaExport methods named '" + name + "' in " + target.getClass());
            out.put(name, adapt(target, m, name));
        }
        return out;
    }

    static LuaFunction adapt(Object target, Method m, String name) {
        MethodHandle h;
        try {
            m.setAccessible(true);
            h = MethodHandles.lookup().unreflect(m);
            if (!Modifier.isStatic(m.getModifiers())) h = h.bindTo(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot export " + m + ": " + e, e);
        }
        Class<?>[] types = m.getParameterTypes();
        for (Class<?> t : types) {
            if (!supported(t)) throw new IllegalArgumentException("unsupported parameter type " + t + " in " + m);
        }
        // one exact (Object[])Object shape, so each call is an invokeExact with no per-call type adaptation
        MethodHandle exact = h.asSpreader(Object[].class, types.length)
                .asType(java.lang.invoke.MethodType.methodType(Object.class, Object[].class));
        return new Adapter(name, exact, types, m.getReturnType());
    }

    private static boolean supported(Class<?> t) {
        return t == LuaValue.class || t == Varargs.class || t == String.class || t == byte[].class || t == int.class
                || t == long.class || t == double.class || t == boolean.class || t == LuaTable.class
                || t == LuaFunction.class || t == Object.class;
    }

    private static final class Adapter extends VarArgFunction {
        private final MethodHandle handle;
        private final Class<?>[] types;
        private final Class<?> returns;

        Adapter(String name, MethodHandle handle, Class<?>[] types, Class<?> returns) {
            this.name = name;
            this.handle = handle;
            this.types = types;
            this.returns = returns;
        }

        @Override
        public Varargs invoke(Varargs args) {
            Object[] a = new Object[types.length];
            for (int i = 0; i < types.length; i++) a[i] = arg(types[i], args, i + 1);
            Object r;
            try {
                r = (Object) handle.invokeExact(a);
            } catch (LuaError | Error e) {
                throw e;
            } catch (Throwable e) {
                String msg = e.getMessage();
                throw new LuaError(name + ": " + (msg != null ? msg : e.toString()));
            }
            if (returns == void.class) return NONE;
            if (r instanceof Varargs) return (Varargs) r;
            return LuaConvert.toLua(r);
        }

        private Object arg(Class<?> t, Varargs args, int i) {
            LuaValue v = args.arg(i);
            if (t == LuaValue.class) return v;
            if (t == Varargs.class) return args.subargs(i);
            if (t == Object.class) return LuaConvert.toJava(v);
            if (t == boolean.class) return v.toboolean();
            if (v.isnil() && (t == String.class || t == byte[].class || t == LuaTable.class || t == LuaFunction.class))
                return null;
            try {
                if (t == String.class) return v.checkjstring();
                if (t == byte[].class) return LuaConvert.toBytes(v);
                if (t == int.class) return v.checkint();
                if (t == long.class) return v.checklong();
                if (t == double.class) return v.checkdouble();
                if (t == LuaTable.class) return v.checktable();
                if (t == LuaFunction.class) return v.checkfunction();
            } catch (LuaError e) {
                throw new LuaError("bad argument #" + i + " to '" + name + "' (" + expected(t) + " expected, got "
                        + v.typename() + ")");
            }
            throw new IllegalStateException(t.toString());
        }

        private static String expected(Class<?> t) {
            if (t == String.class || t == byte[].class) return "string";
            if (t == LuaTable.class) return "table";
            if (t == LuaFunction.class) return "function";
            return "number";
        }
    }
}
