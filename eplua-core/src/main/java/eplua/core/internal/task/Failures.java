package eplua.core.internal.task;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * Java failures met while Lua runs, as Lua errors. A {@link VirtualMachineError} thrown inside a task (out of memory,
 * a Java stack overflow) leaves the engine usable once the task's stack has unwound, which frees what it held: the
 * task fails with a plain Lua error that {@code pcall} catches and awaiters see. {@link Unwind} (close, cancel,
 * budgets) is never turned into a Lua error.
 */
public final class Failures {
    private static final LuaValue OUT_OF_MEMORY = LuaValue.valueOf("out of memory");
    private static final LuaValue STACK_OVERFLOW = LuaValue.valueOf("stack overflow");

    private Failures() {}

    /** True for what must pass through every catch in Lua's way: the scheduler's own unwinding. */
    public static boolean passesThrough(Throwable t) {
        return t instanceof Unwind;
    }

    /** The Lua error value for a Java failure: {@code "out of memory"}, {@code "stack overflow"}, or its text. */
    public static LuaValue value(Throwable t) {
        if (t instanceof OutOfMemoryError) return OUT_OF_MEMORY;
        if (t instanceof StackOverflowError) return STACK_OVERFLOW;
        if (t instanceof LuaError) {
            LuaValue m = ((LuaError) t).getMessageObject();
            return m != null ? m : LuaValue.NIL;
        }
        if (t instanceof Error) return LuaValue.valueOf(t.toString());
        String m = t.getMessage();
        return LuaValue.valueOf(m != null ? m : t.toString());
    }

    /** {@link #value} as a LuaError to raise or to fail a task with; a LuaError stays itself. */
    public static LuaError luaError(Throwable t) {
        if (t instanceof LuaError) return (LuaError) t;
        if (t instanceof Error) return new LuaError(value(t));
        return new LuaError(t); // LuaJ's own wording for a Java exception
    }
}
