package eplua.core.internal.task;

import eplua.core.internal.loop.Registry;
import eplua.core.internal.loop.Timers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A task: a Lua function run as a coroutine driven by the loop. Seen from Lua as a userdata with {@code await},
 * {@code cancel}, {@code status}; seen from Java through {@link #future()}.
 */
public final class LuaTask extends LuaUserdata {
    public enum Status { NEW, RUNNING, SUSPENDED, DONE, FAILED, CANCELLED }

    /** LuaUserdata wants an instance; tasks answer touserdata() themselves, so one shared marker does. */
    private static final Object INSTANCE = new Object();

    final LuaValue fn;
    Varargs args;
    Timers.Ticket guard;          // for timer callbacks: cleared timers do not run
    Status status = Status.NEW;
    LuaThread runningAtSuspend;   // the (possibly nested) coroutine that was running when the task suspended
    Fiber fiber;                  // the fiber the task is suspended in
    Object resumeValue;           // Varargs, or an Unwind to throw at the suspension point
    int waitToken;                // stale wake-ups (timeouts vs results) carry an old token and are ignored
    Runnable onWake;              // frees what the current suspension holds (timer, listener)
    boolean counted;              // keeps the engine alive (Registry.retain) until it finishes
    Varargs result;
    LuaError error;
    boolean cancelling;           // cancel() was called
    boolean cancelRequested;     // cancelled while running an inner coroutine: ends at its next suspension
    boolean observed;             // someone awaited it, so a failure need not be reported
    List<LuaTask> awaiters;
    long deadline;                // System.nanoTime() when a host's call runs out of wall-clock (0: never)
    boolean timeWarned;           // it got its catchable "budget: time" error already
    long budgetTimer;             // the timer of its wall-clock budget (0: none)
    boolean spawnCounted;         // spawned by a script: counts against the task budget until it finishes
    private volatile CompletableFuture<Varargs> future;
    LuaTask prevLive, nextLive;   // the scheduler's list of suspended tasks
    // lifecycle (see eplua-core/LIFECYCLE.md)
    Runnable onCancel;            // aborts what the current suspension awaits (a future's cancel), run on cancel
    boolean unfinishedCounted;    // counted in Tasks.unfinished (the shutdown's grace period waits for these)
    LuaTask parent;               // the task that spawned it, while both are unfinished
    LuaTask firstChild, prevSibling, nextSibling; // unfinished tasks it spawned, newest first
    Registry.Owned owned;         // the resources it owns (null until it tracks one)
    List<LuaValue> defers;        // defer(fn) clean-ups, run last first when it ends

    /** The head of an empty list of suspended tasks. */
    static LuaTask listHead() {
        LuaTask h = new LuaTask(LuaValue.NIL, LuaValue.NONE, null);
        h.prevLive = h.nextLive = h;
        return h;
    }

    void linkAfter(LuaTask head) {
        prevLive = head;
        nextLive = head.nextLive;
        head.nextLive.prevLive = this;
        head.nextLive = this;
    }

    void unlink() {
        if (nextLive == null) return;
        prevLive.nextLive = nextLive;
        nextLive.prevLive = prevLive;
        prevLive = nextLive = null;
    }

    LuaTask(LuaValue fn, Varargs args, LuaValue metatable) {
        super(INSTANCE, metatable);
        this.fn = fn;
        this.args = args;
    }

    /** The task's state; a cancelled task reads CANCELLED at once, while its fiber unwinds on the next loop pass. */
    public Status status() {
        return cancelling && !isFinished() ? Status.CANCELLED : status;
    }

    public boolean isFinished() {
        return status == Status.DONE || status == Status.FAILED || status == Status.CANCELLED;
    }

    /** The task's results, its error (a {@link eplua.core.LuaScriptException}) or its cancellation, for Java. */
    public synchronized CompletableFuture<Varargs> future() {
        if (future == null) {
            future = new CompletableFuture<>();
            if (isFinished()) settleLocked();
        }
        observed = true;
        return future;
    }

    void settleFuture() {
        if (future == null) return; // nobody asked (the common case): no lock
        synchronized (this) {
            settleLocked();
        }
    }

    private void settleLocked() {
        switch (status) {
            case DONE: future.complete(result); break;
            case FAILED: future.completeExceptionally(eplua.core.LuaScriptException.from(error)); break;
            case CANCELLED: future.cancel(false); break;
            default: break;
        }
    }

    /** Links this new task under {@code p} (its parent). */
    void linkChildOf(LuaTask p) {
        parent = p;
        nextSibling = p.firstChild;
        if (nextSibling != null) nextSibling.prevSibling = this;
        p.firstChild = this;
    }

    /** Leaves its parent's children, and lets its own children go (they outlive it as tasks of their own). */
    void unlinkFamily() {
        LuaTask p = parent;
        if (p != null) {
            if (prevSibling != null) prevSibling.nextSibling = nextSibling;
            else p.firstChild = nextSibling;
            if (nextSibling != null) nextSibling.prevSibling = prevSibling;
            parent = prevSibling = nextSibling = null;
        }
        for (LuaTask c = firstChild; c != null; ) {
            LuaTask next = c.nextSibling;
            c.parent = c.prevSibling = c.nextSibling = null;
            c = next;
        }
        firstChild = null;
    }

    /** The unfinished tasks it spawned (a copy: cancelling them changes the list). */
    List<LuaTask> children() {
        List<LuaTask> out = new ArrayList<>();
        for (LuaTask c = firstChild; c != null; c = c.nextSibling) out.add(c);
        return out;
    }

    /** Its resources, made on first use. */
    Registry.Owned owned() {
        if (owned == null) owned = new Registry.Owned();
        return owned;
    }

    void addAwaiter(LuaTask t) {
        if (awaiters == null) awaiters = new ArrayList<>(2);
        awaiters.add(t);
    }

    // identity, not LuaUserdata's instance equality (every task shares one marker instance)
    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public boolean raweq(LuaUserdata val) {
        return this == val;
    }

    @Override
    public Object touserdata() {
        return this;
    }

    @Override
    public Object touserdata(Class c) {
        return c.isAssignableFrom(LuaTask.class) ? this : null;
    }

    @Override
    public String tojstring() {
        return "task: 0x" + Integer.toHexString(hashCode());
    }
}
