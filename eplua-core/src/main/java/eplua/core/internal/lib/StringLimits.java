package eplua.core.internal.lib;

import eplua.core.internal.contain.Budgets;
import eplua.core.internal.task.Guard;
import org.luaj.vm2.LuaError;

/**
 * The largest string and the most table entries a library function may build ({@code string.rep},
 * {@code string.format}, {@code gsub}, {@code table.concat}, {@code table.unpack}, ...): past them the call raises a
 * catchable Lua error ({@code "resulting string too large"}) instead of wrapping around in int arithmetic or running
 * the JVM out of memory. They are the budgets of the engine whose Lua runs on the calling thread
 * ({@code Engine.Builder.maxStringSize}, {@code -Deplua.maxString}: default 256 MiB; {@code maxTableSize}).
 */
final class StringLimits {
    /** The largest byte[] a JVM reliably allocates. */
    static final int ARRAY_MAX = (int) Budgets.ARRAY_MAX;
    /** Sizes up to this never need the budget looked up. */
    private static final long ALWAYS_FITS = 1L << 20;

    private StringLimits() {}

    /** The current engine's limit in bytes. */
    static long max() {
        return Math.min(Guard.current().budgets().maxString(), ARRAY_MAX);
    }

    /** Raises "resulting string too large" when a string of {@code size} bytes (NaN: unbounded) may not be built. */
    static void check(double size) {
        if (!(size <= ALWAYS_FITS) && !(size <= max())) throw new LuaError("resulting string too large");
    }

    /** The most entries a library function may put in one table or result list, in the current engine. */
    static int maxEntries() {
        return Guard.current().budgets().maxTable();
    }
}
