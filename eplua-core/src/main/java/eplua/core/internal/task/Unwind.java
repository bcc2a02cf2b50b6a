package eplua.core.internal.task;

/**
 * Thrown at a suspension point to end a task (cancel) or a whole fiber (engine close). An {@link Error}, so that
 * neither Lua's {@code pcall} nor LuaJ's exception wrapping can swallow it.
 */
final class Unwind extends Error {
    private static final long serialVersionUID = 1L;

    final boolean kill;

    Unwind(boolean kill) {
        super(kill ? "engine closed" : "cancelled", null, false, false);
        this.kill = kill;
    }
}
