package eplua.core.internal.task;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua coroutine whose body runs on a pooled fiber with a park/unpark hand-off, replacing LuaJ's new platform
 * thread per coroutine with synchronized wait/notify. Still a {@link LuaThread}, so {@code type(co) == "thread"}
 * and the debug library keeps one call stack per coroutine.
 */
public final class Coroutine extends LuaThread {
    private final Coroutines coroutines;
    final LuaValue fn;
    Fiber fiber;
    int status = STATUS_INITIAL;
    Varargs transfer;
    LuaValue error;
    Unwind unwind;      // the body ended by a cancel or budget of the task: raised again in the resumer
    boolean finished;

    Coroutine(Coroutines coroutines, Globals globals, LuaValue fn) {
        super(globals, fn);
        this.coroutines = coroutines;
        this.fn = fn;
    }

    void setStatus(int s) {
        status = s;
        state.status = s;
    }

    @Override
    public Varargs resume(Varargs args) {
        return coroutines.resume(this, args);
    }

    /** {@code coroutine.yield} from inside this coroutine. */
    public Varargs yield(Varargs values) {
        return coroutines.yield(values);
    }
}
