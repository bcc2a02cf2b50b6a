package org.luaj.vm2.lib;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * LuaJ's debug library with its call-stack bookkeeping done without a lock. LuaJ 3.0.1 takes the call stack's
 * monitor on every Lua instruction, call and return, which makes every script with the debug library much slower.
 * An eplua engine runs one Lua thread at a time (its baton orders every switch), so the lock guards nothing. While a
 * hook is set ({@code debug.sethook}) LuaJ's own code runs. This class lives in LuaJ's package only to reach the
 * package-private call stack.
 */
public class UnlockedDebugLib extends DebugLib {
    @Override
    public void onCall(LuaFunction f) {
        LuaThread.State s = globals.running.state;
        if (s.hookfunc != null) super.onCall(f);
        else if (!s.inhook) push(callstack()).set(f);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        LuaThread.State s = globals.running.state;
        if (s.hookfunc != null) super.onCall(c, varargs, stack);
        else if (!s.inhook) push(callstack()).set(c, varargs, stack);
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        LuaThread.State s = globals.running.state;
        if (s.hookfunc != null) {
            super.onInstruction(pc, v, top);
            return;
        }
        if (s.inhook) return;
        CallStack cs = callstack();
        if (cs.calls > 0) {
            CallFrame fr = cs.frame[cs.calls - 1];
            fr.pc = pc;
            fr.v = v;
            fr.top = top;
        }
    }

    @Override
    public void onReturn() {
        LuaThread.State s = globals.running.state;
        if (s.hookfunc != null) {
            super.onReturn();
            return;
        }
        if (s.inhook) return;
        CallStack cs = callstack();
        if (cs.calls > 0) cs.frame[--cs.calls].reset();
    }

    /** As LuaJ's CallStack.pushcall: the frame array grows by half, frames are linked to their callers. */
    private static CallFrame push(CallStack cs) {
        if (cs.calls >= cs.frame.length) {
            int n = Math.max(4, cs.frame.length * 3 / 2);
            CallFrame[] f = new CallFrame[n];
            System.arraycopy(cs.frame, 0, f, 0, cs.frame.length);
            for (int i = cs.frame.length; i < n; ++i) f[i] = new CallFrame();
            cs.frame = f;
            for (int i = 1; i < n; ++i) f[i].previous = f[i - 1];
        }
        return cs.frame[cs.calls++];
    }
}
