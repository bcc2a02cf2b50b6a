package eplua.core.convert;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

/**
 * The public Java methods of one name of one class, as a Lua function: {@code obj:name(args)} (the object is the
 * first argument) chooses the overload whose parameter types fit the arguments best ({@link JavaArgs#cost}), packs
 * the trailing arguments of a varargs method, calls it and converts the result with {@link LuaConvert#toLua}. Static
 * methods are called the same way ({@code obj:name(args)}) or without the object. A Java exception becomes a Lua
 * error with the exception's text.
 */
final class JavaMethod extends VarArgFunction {
    private final Class<?> owner;
    private final Invoker[] overloads;

    JavaMethod(Class<?> owner, String name, List<Invoker> overloads) {
        this.owner = owner;
        this.name = name;
        Invoker[] a = overloads.toArray(new Invoker[0]);
        // ties go to the first: fewer parameters, then the more specific types
        Arrays.sort(a, Comparator.comparingInt((Invoker i) -> i.params.length).thenComparingInt(i -> i.generality));
        this.overloads = a;
    }

    /** One Java method: a handle taking (receiver?, parameters...) as an {@code Object[]}. */
    static final class Invoker {
        final MethodHandle spread;
        final Class<?>[] params;
        final boolean isStatic;
        final boolean varargs;
        final boolean returnsVoid;
        final int generality;

        Invoker(MethodHandle handle, Class<?>[] params, boolean isStatic, boolean varargs, boolean returnsVoid) {
            MethodHandle fixed = handle.asFixedArity();
            int n = fixed.type().parameterCount();
            this.spread = fixed.asType(fixed.type().generic()).asSpreader(Object[].class, n);
            this.params = params;
            this.isStatic = isStatic;
            this.varargs = varargs && params.length > 0 && params[params.length - 1].isArray();
            this.returnsVoid = returnsVoid;
            int g = 0;
            for (Class<?> p : params) g += p == Object.class ? 4 : p.isInterface() ? 2 : p.isPrimitive() ? 0 : 1;
            this.generality = g;
        }

        /** How well Lua arguments {@code first..} fit; {@link JavaArgs#NO} if they do not. */
        int cost(Varargs args, int first) {
            int n = args.narg() - first + 1;
            int p = params.length;
            if (n == p) {
                int c = fixedCost(args, first, p);
                if (c < JavaArgs.NO || !varargs) return c;
            }
            if (!varargs || n < p - 1) return JavaArgs.NO;
            int c = fixedCost(args, first, p - 1) + 1; // packing costs a little: a direct fit wins
            Class<?> component = params[p - 1].getComponentType();
            for (int i = p - 1; i < n && c < JavaArgs.NO; i++) c += JavaArgs.cost(args.arg(first + i), component);
            return c;
        }

        private int fixedCost(Varargs args, int first, int count) {
            int c = 0;
            for (int i = 0; i < count && c < JavaArgs.NO; i++) c += JavaArgs.cost(args.arg(first + i), params[i]);
            return Math.min(c, JavaArgs.NO);
        }

        /** The handle's arguments: the receiver (unless static), then the converted Lua arguments. */
        Object[] arguments(Object self, Varargs args, int first) {
            int n = args.narg() - first + 1;
            int p = params.length;
            int at = isStatic ? 0 : 1;
            Object[] a = new Object[at + p];
            if (!isStatic) a[0] = self;
            boolean pack = varargs && (n != p || JavaArgs.cost(args.arg(first + p - 1), params[p - 1]) >= JavaArgs.NO);
            int fixed = pack ? p - 1 : p;
            for (int i = 0; i < fixed; i++) a[at + i] = JavaArgs.coerce(args.arg(first + i), params[i]);
            if (pack) {
                Class<?> component = params[p - 1].getComponentType();
                Object rest = Array.newInstance(component, n - fixed);
                for (int i = fixed; i < n; i++) Array.set(rest, i - fixed, JavaArgs.coerce(args.arg(first + i), component));
                a[at + p - 1] = rest;
            }
            return a;
        }

        String signature() {
            StringJoiner j = new StringJoiner(", ", "(", ")");
            for (int i = 0; i < params.length; i++) {
                String s = params[i].getSimpleName();
                j.add(varargs && i == params.length - 1 ? s.substring(0, s.length() - 2) + "..." : s);
            }
            return j.toString();
        }
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue a1 = args.arg1();
        Object self = null;
        if (a1.isuserdata()) {
            Object o = a1.touserdata();
            if (owner.isInstance(o)) self = o;
        }
        Invoker best = null;
        int bestCost = JavaArgs.NO;
        int bestFirst = 0;
        for (Invoker inv : overloads) {
            if (!inv.isStatic && self == null) continue;
            int first = self != null ? 2 : 1;
            int c = inv.cost(args, first);
            if (inv.isStatic && self != null) { // String.valueOf-style calls may also pass no object
                int c1 = inv.cost(args, 1);
                if (c1 < c) {
                    c = c1;
                    first = 1;
                }
            }
            if (c < bestCost) {
                best = inv;
                bestCost = c;
                bestFirst = first;
                if (c == 0) break;
            }
        }
        if (best == null) throw noMatch(args, self);
        Object[] a = best.arguments(self, args, bestFirst);
        int[] depth = Callback.enter();
        Object r;
        try {
            r = best.spread.invokeExact(a);
        } catch (LuaError | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            throw new LuaError(e.toString());
        } finally {
            if (depth != null) depth[0]--;
        }
        return best.returnsVoid ? NONE : LuaConvert.toLua(r);
    }

    private LuaError noMatch(Varargs args, Object self) {
        boolean instanceOnly = true;
        for (Invoker i : overloads) instanceOnly &= !i.isStatic;
        if (self == null && instanceOnly)
            return new LuaError("bad argument #1 to '" + name + "' (" + owner.getName() + " expected, got "
                    + JavaArgs.typeName(args.arg1()) + "; call it as obj:" + name + "(...))");
        List<String> sigs = new ArrayList<>();
        for (Invoker i : overloads) sigs.add(i.signature());
        return new LuaError("no overload of " + owner.getName() + "." + name + " takes "
                + JavaArgs.describe(args, self != null ? 2 : 1, args.narg()) + "; it takes " + String.join(" or ", sigs));
    }
}
