package eplua.core.internal.lib;

import org.luaj.vm2.LuaError;

/**
 * The largest string a library function may build ({@code string.rep}, {@code string.format},
 * {@code table.concat}): past it the call raises the catchable Lua error {@code "resulting string too large"}
 * instead of wrapping around in int arithmetic or running the JVM out of memory. The system property
 * {@code eplua.maxString} sets it in bytes (default 256 MiB), read at each check so a host may change it.
 */
final class StringLimits {
    static final long DEFAULT = 256L << 20;
    /** The largest byte[] a JVM reliably allocates. */
    static final int ARRAY_MAX = Integer.MAX_VALUE - 8;
    /** Sizes up to this never need the property looked up. */
    private static final long ALWAYS_FITS = 1L << 20;

    private StringLimits() {}

    /** The current limit in bytes. */
    static long max() {
        Long v = Long.getLong("eplua.maxString");
        long m = v == null || v <= 0 ? DEFAULT : v;
        return Math.min(m, ARRAY_MAX);
    }

    /** Raises "resulting string too large" when a string of {@code size} bytes (NaN: unbounded) may not be built. */
    static void check(double size) {
        if (!(size <= ALWAYS_FITS) && !(size <= max())) throw new LuaError("resulting string too large");
    }
}
