package eplua.core.internal.task;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.UnlockedDebugLib;

/**
 * LuaJ's debug library (call stacks for tracebacks) that can also stop a runaway script: once
 * {@link #interrupt()} is called, the next Lua instruction on any thread unwinds its fiber as engine close does.
 * So {@code close()} returns promptly even while a script spins in {@code while true do end}.
 */
public final class InterruptibleDebugLib extends UnlockedDebugLib {
    private volatile boolean interrupted;

    /** Stops all Lua of this engine at its next instruction (engine close). */
    public void interrupt() {
        interrupted = true;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (interrupted) throw new Unwind(true);
        super.onInstruction(pc, v, top);
    }
}
