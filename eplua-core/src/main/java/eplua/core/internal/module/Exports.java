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
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/** Turns {@link LuaExport} methods into Lua functions, with argument checks that name the function. */
public final class Exports {
    private Exports() {}

    /** The exports of each class, made into method handles once per JVM: engines only pair them with a target. */
    private static final ClassValue<Export[]> EXPORTS = new ClassValue<>() {
        @Override
        protected Export[] computeValue(Class<?> type) {
            Map<String, Export> byName = new TreeMap<>();
            for (Method m : type.getMethods()) {
                LuaExport ann = m.getAnnotation(LuaExport.class);
                if (ann == null) continue;
                String name = ann.value().isEmpty() ? m.getName() : ann.value();
                if (byName.containsKey(name))
                    throw new IllegalArgumentException("two @LuaExport methods named '" + name + "' in " + type);
                byName.put(name, Export.of(m, name));
            }
            return byName.values().toArray(new Export[0]);
        }
    };

    /** The exported functions of {@code target}, by Lua name. */
    public static Map<String, LuaFunction> of(Object target) {
        Map<String, LuaFunction> out = new TreeMap<>();
        for (Export e : EXPORTS.get(target.getClass()))
            out.put(e.name, new Adapter(e.name, e.handle, e.isStatic ? null : target, e.types, e.returns));
        return out;
    }

    /** An exported method as one exact {@code (Object target, Object[] args) Object} handle. */
    private static final class Export {
        final String name;
        final MethodHandle handle;
        final boolean isStatic;
        final Class<?>[] types;
        final Class<?> returns;

        private Export(String name, MethodHandle handle, boolean isStatic, Class<?>[] types, Class<?> returns) {
            this.name = name;
            this.handle = handle;
            this.isStatic = isStatic;
            this.types = types;
            this.returns = returns;
        }

        static Export of(Method m, String name) {
            MethodHandle h;
            try {
                m.setAccessible(true);
                h = MethodHandles.lookup().unreflect(m);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("cannot export " + m + ": " + e, e);
            }
            Class<?>[] types = m.getParameterTypes();
            for (Class<?> t : types) {
                if (!supported(t)) throw new IllegalArgumentException("unsupported parameter type " + t + " in " + m);
            }
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (isStatic) h = MethodHandles.dropArguments(h, 0, Object.class);
            // one exact (Object, Object[])Object shape, so each call is an invokeExact with no per-call adaptation
            MethodHandle exact = h.asSpreader(Object[].class, types.length)
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            return new Export(name, exact, isStatic, types, m.getReturnType());
        }
    }

    private static boolean supported(Class<?> t) {
        return t == LuaValue.class || t == Varargs.class || t == String.class || t == byte[].class || t == int.class
                || t == long.class || t == double.class || t == boolean.class || t == LuaTable.class
                || t == LuaFunction.class || t == Object.class;
    }

    private static final class Adapter extends VarArgFunction {
        private final MethodHandle handle;
        private final Object target;   // null for a static method
        private final Class<?>[] types;
        private final Class<?> returns;

        Adapter(String name, MethodHandle handle, Object target, Class<?>[] types, Class<?> returns) {
            this.name = name;
            this.handle = handle;
            this.target = target;
            this.types = types;
            this.returns = returns;
        }

        @Override
        public Varargs invoke(Varargs args) {
            Object[] a = new Object[types.length];
            for (int i = 0; i < types.length; i++) a[i] = arg(types[i], args, i + 1);
            Object r;
            try {
                r = (Object) handle.invokeExact(target, a);
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
