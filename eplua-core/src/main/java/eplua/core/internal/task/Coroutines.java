package eplua.core.internal.task;

import eplua.core.LuaScriptException;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua's coroutines ({@code coroutine.create/resume/yield}) on pooled fibers: resume hands the baton to the
 * coroutine's fiber and waits; yield hands it back to whoever resumed. Baton holder only.
 */
final class Coroutines {
    private final Scheduler s;

    Coroutines(Scheduler s) {
        this.s = s;
    }

    Varargs resume(Coroutine co, Varargs args) {
        s.baton.check();
        if (co.status == LuaThread.STATUS_DEAD)
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume dead coroutine"));
        if (co.status != LuaThread.STATUS_SUSPENDED && co.status != LuaThread.STATUS_INITIAL)
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume non-suspended coroutine"));
        if (s.closed) return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("engine is closed"));
        LuaThread previous = s.globals.running;
        if (co.fiber == null) {
            co.fiber = s.pool.acquire();
            co.fiber.job = co;
        }
        Fiber f = co.fiber;
        f.resumer = Thread.currentThread();
        co.transfer = args;
        co.setStatus(LuaThread.STATUS_RUNNING);
        if (previous != null) previous.state.status = LuaThread.STATUS_NORMAL;
        s.globals.running = co;
        try {
            s.baton.handTo(f.thread);
        } finally {
            s.globals.running = previous;
            if (previous != null) previous.state.status = LuaThread.STATUS_RUNNING;
        }
        Varargs out = co.transfer;
        co.transfer = null;
        if (co.unwind != null) {
            // the coroutine's task is cancelled or out of budget: its resumer unwinds too
            Unwind u = co.unwind;
            co.unwind = null;
            co.setStatus(LuaThread.STATUS_DEAD);
            throw u;
        }
        if (co.error != null) {
            LuaValue e = co.error;
            co.error = null;
            co.setStatus(LuaThread.STATUS_DEAD);
            return LuaValue.varargsOf(LuaValue.FALSE, e);
        }
        co.setStatus(co.finished ? LuaThread.STATUS_DEAD : LuaThread.STATUS_SUSPENDED);
        return LuaValue.varargsOf(LuaValue.TRUE, out);
    }

    Varargs yield(Varargs values) {
        Fiber f = Fiber.currentOf(s);
        LuaThread running = s.globals.running;
        if (f == null || !(running instanceof Coroutine) || ((Coroutine) running).fiber != f)
            throw new LuaError("attempt to yield from outside a coroutine");
        Coroutine co = (Coroutine) running;
        co.transfer = values;
        s.baton.handTo(f.resumer);
        Varargs in = co.transfer;
        co.transfer = null;
        return in;
    }

    /** Body of a coroutine job on its fiber; returns the thread to hand back to. */
    Thread run(Coroutine co, Fiber self) {
        Varargs args = co.transfer;
        co.transfer = null;
        try {
            co.transfer = co.fn.invoke(args);
        } catch (LuaError e) {
            LuaValue m = e.getMessageObject();
            co.error = m == null ? LuaValue.NIL : LuaScriptException.stripTraceback(m);
        } catch (Unwind u) {
            if (u.kill) throw u; // engine close: every fiber unwinds on its own
            co.unwind = u;
        } catch (RuntimeException e) {
            co.error = LuaValue.valueOf(String.valueOf(e));
        } catch (Error e) {
            co.error = Failures.value(e); // out of memory, stack overflow: the coroutine's stack is gone, Lua goes on
        }
        co.finished = true;
        co.fiber = null;
        return self.resumer;
    }
}
