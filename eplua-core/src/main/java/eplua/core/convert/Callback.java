package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A Lua function passed to a Java parameter whose type is a functional interface ({@code Runnable},
 * {@code Comparator}, {@code Consumer}...): a proxy that calls the function. Lua runs only under the engine's baton,
 * so the proxy may be called only by a thread that is inside a call from Lua into Java (then that thread is the one
 * running Lua): {@code list:sort(cmp)}, {@code map:forEach(fn)}, and stream pipelines that Lua consumes work; a
 * callback kept and called later by another thread fails with {@link IllegalStateException}.
 */
final class Callback implements InvocationHandler {
    /** Calls from Lua into Java in progress on this thread (counted once any proxy exists). */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile boolean inUse;

    private final LuaValue fn;
    private final Class<?> type;
    private final Method method;

    private Callback(LuaValue fn, Class<?> type, Method method) {
        this.fn = fn;
        this.type = type;
        this.method = method;
    }

    static Object proxy(LuaValue fn, Class<?> type, Method method) {
        inUse = true;
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Callback(fn, type, method));
    }

    /** Marks the start of a call from Lua into Java on this thread; null when no proxy exists yet. */
    static int[] enter() {
        if (!inUse) return null;
        int[] d = DEPTH.get();
        d[0]++;
        return d;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getDeclaringClass() == Object.class) {
            switch (m.getName()) {
                case "equals": return proxy == args[0];
                case "hashCode": return System.identityHashCode(proxy);
                default: return "Lua function as " + type.getName();
            }
        }
        if (!m.equals(method) && m.isDefault()) return InvocationHandler.invokeDefault(proxy, m, args);
        if (DEPTH.get()[0] == 0)
            throw new IllegalStateException("a Lua function passed to Java as " + type.getName()
                    + " can only be called while Lua is calling Java, on that thread");
        Varargs r = fn.invoke(LuaConvert.toLuaArgs(args == null ? new Object[0] : args));
        Class<?> rt = m.getReturnType();
        if (rt == void.class) return null;
        LuaValue v = r.arg1();
        if (rt == boolean.class || rt == Boolean.class) return v.toboolean(); // Lua truth: nil and false are false
        if (JavaArgs.cost(v, rt) >= JavaArgs.NO)
            throw new LuaError("a Lua function used as " + type.getName() + " returned " + v.typename() + ", "
                    + rt.getSimpleName() + " expected");
        return JavaArgs.coerce(v, rt);
    }
}
