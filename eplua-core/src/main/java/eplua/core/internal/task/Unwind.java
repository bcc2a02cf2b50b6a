package eplua.core.internal.task;

import org.luaj.vm2.LuaError;

/**
 * Thrown to end a task (cancel, or a budget it kept overrunning) or a whole fiber (engine close). An {@link Error},
 * so that neither Lua's {@code pcall} nor LuaJ's exception wrapping can swallow it.
 */
final class Unwind extends Error {
    private static final long serialVersionUID = 1L;

    final boolean kill;
    /** Why the task fails (a budget), or null: it is cancelled. */
    final transient LuaError failure;

    Unwind(boolean kill) {
        super(kill ? "engine closed" : "cancelled", null, false, false);
        this.kill = kill;
        this.failure = null;
    }

    /** Ends the running task as failed with {@code failure}. */
    Unwind(LuaError failure) {
        super(failure.getMessage(), null, false, false);
        this.kill = false;
        this.failure = failure;
    }
}
