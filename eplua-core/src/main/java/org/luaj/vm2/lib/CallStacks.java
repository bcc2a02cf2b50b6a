package org.luaj.vm2.lib;

import org.luaj.vm2.LuaThread;

/**
 * Reads a Lua thread's call stack from another thread (the blocked-loop watchdog), without locking or creating
 * anything: the stack may change while it is read, so a read that trips over a change is retried. In LuaJ's package
 * to reach the package-private call stack.
 */
public final class CallStacks {
    private CallStacks() {}

    /** The "stack traceback:" of {@code thread} as the debug library keeps it, or null if it has none. */
    public static String traceback(LuaThread thread) {
        if (thread == null) return null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Object cs = thread.callstack;
            if (!(cs instanceof DebugLib.CallStack)) return null;
            try {
                return ((DebugLib.CallStack) cs).traceback(1);
            } catch (RuntimeException e) {
                // a frame changed under us: try again
            }
        }
        return null;
    }
}
