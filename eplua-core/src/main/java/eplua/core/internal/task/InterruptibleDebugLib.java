package eplua.core.internal.task;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.UnlockedDebugLib;

/**
 * LuaJ's debug library (call stacks for tracebacks) that also counts every Lua instruction for the engine's
 * {@link Guard}: so {@code close()} stops a script spinning in {@code while true do end}, and a task that runs past
 * its budget gets a {@code "budget: ..."} error.
 */
public final class InterruptibleDebugLib extends UnlockedDebugLib {
    private final Guard guard;

    public InterruptibleDebugLib(Guard guard) {
        this.guard = guard;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        Guard g = guard;
        if (--g.countdown < 0) g.checkpoint();
        super.onInstruction(pc, v, top);
    }
}
