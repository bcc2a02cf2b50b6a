package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Lua sees of one Java class, worked out once per class ({@link ClassValue}): its public methods by name, its
 * public fields, and bean properties ({@code getX}/{@code isX}/{@code setX} as {@code x}). Every member is reached
 * through a public class or interface of an exported package that the class extends or implements, never through
 * the class itself when it is not accessible: a {@code Path} is a {@code sun.nio.fs.UnixPath}, which Java 17 refuses
 * to reflect on, and its methods are called through {@code Path} (as Dynalink does). Handles come from
 * {@link MethodHandles#publicLookup()}, so nothing depends on {@code --add-opens}. A public member that no public
 * type declares (of a host's anonymous or package-private class) is used directly only when its package is open
 * to eplua, as class-path packages are.
 *
 * <p>A name that is both a method and a field or property is the method.
 */
final class JavaClassInfo {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final ClassValue<JavaClassInfo> INFO = new ClassValue<>() {
        @Override
        protected JavaClassInfo computeValue(Class<?> type) {
            return new JavaClassInfo(type);
        }
    };

    final Class<?> type;
    /** In a sandbox, none of its members: the way to classes, class loaders, threads and processes. */
    private final boolean hostOnly;
    private final Map<LuaString, JavaMethod> methods = new HashMap<>();
    private final Map<LuaString, Member> members = new HashMap<>();

    static JavaClassInfo of(Class<?> type) {
        return INFO.get(type);
    }

    private JavaClassInfo(Class<?> type) {
        this.type = type;
        this.hostOnly = SandboxFilter.hostOnly(type);
        List<Class<?>> reachable = accessibleTypes(type);
        Map<String, List<JavaMethod.Invoker>> byName = new LinkedHashMap<>();
        Map<String, Method> getters = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        Method[] all = type.getMethods();
        // a bridge for generics or a covariant return duplicates a real method of the same arity; a bridge that
        // javac adds to a public class for a method of its non-public superclass (StringBuilder.length) is the method
        Set<String> real = new java.util.HashSet<>();
        for (Method m : all) if (!m.isBridge()) real.add(m.getName() + "/" + m.getParameterCount());
        for (Method m : all) {
            if (m.isBridge() && real.contains(m.getName() + "/" + m.getParameterCount())) continue;
            if (!seen.add(m.getName() + MethodType.methodType(void.class, m.getParameterTypes()))) continue;
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            MethodHandle h = resolve(reachable, m, isStatic);
            if (h == null) continue;
            byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(new JavaMethod.Invoker(h, m.getParameterTypes(),
                    isStatic, m.isVarArgs(), m.getReturnType() == void.class));
            if (!isStatic && m.getParameterCount() == 0 && m.getReturnType() != void.class) getters.put(m.getName(), m);
        }
        for (Map.Entry<String, List<JavaMethod.Invoker>> e : byName.entrySet())
            methods.put(LuaString.valueOf(e.getKey()), new JavaMethod(type, e.getKey(), e.getValue()));
        for (Field f : type.getFields()) {
            LuaString key = LuaString.valueOf(f.getName());
            if (!methods.containsKey(key) && !members.containsKey(key)) {
                FieldMember fm = FieldMember.of(reachable, f);
                if (fm != null) members.put(key, fm);
            }
        }
        for (Map.Entry<String, Method> e : getters.entrySet()) {
            String n = e.getKey();
            Class<?> r = e.getValue().getReturnType();
            String prop = n.startsWith("get") && n.length() > 3 ? n.substring(3)
                    : n.startsWith("is") && n.length() > 2 && (r == boolean.class || r == Boolean.class) ? n.substring(2) : null;
            if (prop == null) continue;
            LuaString key = LuaString.valueOf(decapitalize(prop));
            if (methods.containsKey(key) || members.containsKey(key)) continue;
            members.put(key, new Property(methods.get(LuaString.valueOf(n)), methods.get(LuaString.valueOf("set" + prop))));
        }
    }

    /** {@code getURL} is {@code URL}, {@code getName} is {@code name} (as java.beans names them). */
    private static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) && Character.isUpperCase(s.charAt(0))) return s;
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** The method of that name, or null. */
    JavaMethod method(LuaValue key) {
        SandboxFilter.check(this, hostOnly, key);
        return methods.get(key);
    }

    /** {@code obj.key}: a method, a field's value, a property's value, or nil. */
    LuaValue get(Object self, LuaValue key) {
        SandboxFilter.check(this, hostOnly, key);
        JavaMethod m = methods.get(key);
        if (m != null) return m;
        Member f = members.get(key);
        return f != null ? f.get(self) : LuaValue.NIL;
    }

    /** {@code obj.key = value}: a public field or a property's setter. */
    void set(Object self, LuaValue key, LuaValue value) {
        SandboxFilter.check(this, hostOnly, key);
        Member f = members.get(key);
        if (f == null)
            throw new LuaError("no public field or setter '" + key.tojstring() + "' in " + type.getName());
        f.set(self, key, value);
    }

    /** The class, its public superclasses and interfaces that this code may call through, nearest first. */
    private static List<Class<?>> accessibleTypes(Class<?> type) {
        Set<Class<?>> out = new LinkedHashSet<>();
        ArrayDeque<Class<?>> interfaces = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (accessible(c)) out.add(c);
            interfaces.addAll(List.of(c.getInterfaces()));
        }
        Set<Class<?>> done = new java.util.HashSet<>();
        while (!interfaces.isEmpty()) {
            Class<?> i = interfaces.poll();
            if (!done.add(i)) continue;
            if (accessible(i)) out.add(i);
            interfaces.addAll(List.of(i.getInterfaces()));
        }
        return new ArrayList<>(out);
    }

    private static boolean accessible(Class<?> c) {
        return Modifier.isPublic(c.getModifiers()) && c.getModule().isExported(c.getPackageName());
    }

    /** A handle for {@code m} through the nearest accessible type that has it, or null. */
    private static MethodHandle resolve(List<Class<?>> reachable, Method m, boolean isStatic) {
        Class<?>[] params = m.getParameterTypes();
        for (Class<?> s : reachable) {
            if (isStatic && s.isInterface()) continue; // static interface methods are not inherited
            Method sm;
            try {
                sm = s.getMethod(m.getName(), params);
            } catch (NoSuchMethodException e) {
                continue;
            }
            if (Modifier.isStatic(sm.getModifiers()) != isStatic) continue;
            MethodType mt = MethodType.methodType(sm.getReturnType(), params);
            try {
                return isStatic ? LOOKUP.findStatic(s, m.getName(), mt) : LOOKUP.findVirtual(s, m.getName(), mt);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                // not reachable through this type: try the next
            }
        }
        try {
            return openToUs(m) ? MethodHandles.lookup().unreflect(m) : null;
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /**
     * A public member of a class that is not public (an anonymous or package-private class of the host) and that no
     * public type declares: usable when its package is open to us, as every package on the class path is; never for
     * the JDK's own internals.
     */
    private static boolean openToUs(java.lang.reflect.Member m) {
        Class<?> d = m.getDeclaringClass();
        return Modifier.isPublic(m.getModifiers()) && d.getModule().isOpen(d.getPackageName(), JavaClassInfo.class.getModule())
                && ((java.lang.reflect.AccessibleObject) m).trySetAccessible();
    }

    /** A field or a property. */
    private abstract static class Member {
        abstract LuaValue get(Object self);

        abstract void set(Object self, LuaValue key, LuaValue value);
    }

    private static final class FieldMember extends Member {
        private final MethodHandle getter;
        private final MethodHandle setter; // null: final
        private final Class<?> fieldType;

        private FieldMember(MethodHandle getter, MethodHandle setter, Class<?> fieldType) {
            this.getter = getter;
            this.setter = setter;
            this.fieldType = fieldType;
        }

        static FieldMember of(List<Class<?>> reachable, Field f) {
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            for (Class<?> s : reachable) {
                try {
                    if (s.getField(f.getName()).getDeclaringClass() != f.getDeclaringClass()) continue;
                    MethodHandle g = isStatic ? LOOKUP.findStaticGetter(s, f.getName(), f.getType())
                            : LOOKUP.findGetter(s, f.getName(), f.getType());
                    MethodHandle set = Modifier.isFinal(f.getModifiers()) ? null
                            : isStatic ? LOOKUP.findStaticSetter(s, f.getName(), f.getType())
                            : LOOKUP.findSetter(s, f.getName(), f.getType());
                    return adapt(g, set, f);
                } catch (NoSuchFieldException | IllegalAccessException e) {
                    // try the next type
                }
            }
            if (!openToUs(f)) return null;
            try {
                MethodHandles.Lookup own = MethodHandles.lookup();
                return adapt(own.unreflectGetter(f), Modifier.isFinal(f.getModifiers()) ? null : own.unreflectSetter(f), f);
            } catch (IllegalAccessException e) {
                return null;
            }
        }

        /** Getter as (Object)Object, setter as (Object, Object)void, the receiver ignored for a static field. */
        private static FieldMember adapt(MethodHandle g, MethodHandle set, Field f) {
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            g = g.asType(isStatic ? MethodType.methodType(Object.class) : MethodType.methodType(Object.class, Object.class));
            if (isStatic) g = MethodHandles.dropArguments(g, 0, Object.class);
            if (set != null) {
                set = set.asType(isStatic ? MethodType.methodType(void.class, Object.class)
                        : MethodType.methodType(void.class, Object.class, Object.class));
                if (isStatic) set = MethodHandles.dropArguments(set, 0, Object.class);
            }
            return new FieldMember(g, set, f.getType());
        }

        @Override
        LuaValue get(Object self) {
            try {
                return LuaConvert.toLua((Object) getter.invokeExact(self));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new LuaError(e.toString());
            }
        }

        @Override
        void set(Object self, LuaValue key, LuaValue value) {
            if (setter == null) throw new LuaError("field '" + key.tojstring() + "' is final");
            if (JavaArgs.cost(value, fieldType) >= JavaArgs.NO)
                throw new LuaError("field '" + key.tojstring() + "' is " + fieldType.getSimpleName() + ", got "
                        + JavaArgs.typeName(value));
            try {
                setter.invokeExact(self, JavaArgs.coerce(value, fieldType));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new LuaError(e.toString());
            }
        }
    }

    /** A bean property: read with its getter, written with its setter method (overloads chosen as for any call). */
    private static final class Property extends Member {
        private final JavaMethod getter;
        private final JavaMethod setter; // null: read-only

        Property(JavaMethod getter, JavaMethod setter) {
            this.getter = getter;
            this.setter = setter;
        }

        @Override
        LuaValue get(Object self) {
            return getter.invoke(new LuaUserdata(self)).arg1();
        }

        @Override
        void set(Object self, LuaValue key, LuaValue value) {
            if (setter == null) throw new LuaError("property '" + key.tojstring() + "' is read-only");
            setter.invoke(new LuaUserdata(self), value);
        }
    }
}
