package eplua.core.internal.task;

import eplua.core.LuaScriptException;
import eplua.core.convert.LuaConvert;
import eplua.core.internal.loop.Registry;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one way from Java back into Lua: a Lua function started as a new task from any thread. On the Lua thread (a
 * Netty handler on the loop, Lua itself) the task is queued at once; from any other thread the start is posted to the
 * loop. The arguments are made on the Lua thread. Callback style ({@link #settle}, {@link #onSettle}), module calls
 * ({@link #call}) and host callbacks ({@link #register}/{@link #complete}) are all built on it.
 */
public final class LuaBridge {
    // how a start's arguments are made from what it was given
    private static final int AS_IS = 0;     // value is the Varargs
    private static final int CONVERT = 1;   // value is an Object[] of Java values
    private static final int OUTCOME = 2;   // a future's value..., or its error
    private static final int FLAGGED = 3;   // true, value... or false, error

    private final Scheduler scheduler;
    private final Executor post;
    private final Registry registry;
    /** Host callbacks waiting for {@link #complete}, by id. Lua thread. */
    private final Map<Long, Pending> callbacks = new HashMap<>();

    /**
     * {@code post} runs a job on the loop later and keeps the engine alive until it ran; it throws
     * IllegalStateException once the engine is closing.
     */
    public LuaBridge(Scheduler scheduler, Executor post, Registry registry) {
        this.scheduler = scheduler;
        this.post = post;
        this.registry = registry;
    }

    /** Runs {@code job} on the Lua thread: now if the caller holds the baton, else posted. Throws once closing. */
    public void run(Runnable job) {
        if (scheduler.holdsBaton()) job.run();
        else post.execute(job);
    }

    /**
     * Starts {@code fn(args)} as a new task for a host: the future holds its results, or its error (a
     * LuaScriptException), or is cancelled with it. {@code fn} is made on the Lua thread (a compile that fails there
     * fails the future). Throws once closing. Any thread.
     */
    public CompletableFuture<Varargs> submit(Supplier<LuaValue> fn, Varargs args) {
        CompletableFuture<Varargs> out = new CompletableFuture<>();
        run(() -> {
            try {
                LuaTask t = scheduler.spawn(fn.get(), args);
                scheduler.limitTime(t); // a host's call: the wall-clock budget applies
                t.future().whenComplete((v, e) -> {
                    if (e == null) out.complete(v);
                    else out.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                });
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        });
        return out;
    }

    /** Starts {@code fn(args)} as a new task. Nil {@code fn} or a closing engine: nothing. Any thread. */
    public void start(LuaValue fn, Varargs args) {
        start(fn, AS_IS, args, null);
    }

    /** As {@link #start}, with Java arguments converted by {@link LuaConvert#toLuaArgs} (Lua values pass as is). */
    public void call(LuaValue fn, Object... args) {
        start(fn, CONVERT, args, null);
    }

    /**
     * Callback style: when {@code future} completes, starts {@code success(value...)} or {@code error(err)} (either
     * may be nil; {@code err} is {@link #errorValue}). Any thread.
     */
    public void settle(CompletableFuture<?> future, LuaValue success, LuaValue error) {
        if (isNil(success) && isNil(error)) return; // nobody listens: no listener, no task
        if (future.isDone() || !scheduler.holdsBaton()) {
            future.whenComplete((v, e) -> start(e != null ? error : success, OUTCOME, v, e));
            return;
        }
        // a callback still to come is a pending thing: it keeps the engine alive until its task has started
        registry.retain(+1);
        future.whenComplete((v, e) -> {
            LuaValue fn = e != null ? error : success;
            Runnable job = () -> {
                try {
                    if (!isNil(fn)) spawn(fn, OUTCOME, v, e);
                } finally {
                    if (!scheduler.isClosed()) registry.retain(-1); // after the start: never idle in between
                }
            };
            if (scheduler.holdsBaton()) {
                job.run();
                return;
            }
            try {
                post.execute(job);
            } catch (IllegalStateException closing) {
                // the engine is closing: no new Lua runs, and its books close with it
            }
        });
    }

    /** When {@code future} completes, starts {@code fn(true, value...)} or {@code fn(false, err)}. Any thread. */
    public void onSettle(CompletableFuture<?> future, LuaValue fn) {
        future.whenComplete((v, e) -> start(fn, FLAGGED, v, e));
    }

    private void start(LuaValue fn, int shape, Object value, Throwable error) {
        if (isNil(fn)) return;
        if (scheduler.holdsBaton()) {
            spawn(fn, shape, value, error);
            return;
        }
        try {
            post.execute(() -> spawn(fn, shape, value, error));
        } catch (IllegalStateException closing) {
            // the engine is closing: no new Lua runs
        }
    }

    private void spawn(LuaValue fn, int shape, Object value, Throwable error) {
        if (scheduler.isClosed()) return;
        // a Netty handler on a loop shared with other engines: what converts the arguments must see this engine's
        // guard (its sandbox, its limits), not the last engine the loop thread ran
        Guard outer = scheduler.guard().enter();
        try {
            spawnHere(fn, shape, value, error);
        } finally {
            Guard.restore(outer);
        }
    }

    private void spawnHere(LuaValue fn, int shape, Object value, Throwable error) {
        Varargs args;
        switch (shape) {
            case AS_IS: args = (Varargs) value; break;
            case CONVERT: args = LuaConvert.toLuaArgs((Object[]) value); break;
            case OUTCOME: args = error != null ? errorValue(error) : values(value); break;
            default: args = error != null ? LuaValue.varargsOf(LuaValue.FALSE, errorValue(error))
                    : LuaValue.varargsOf(LuaValue.TRUE, values(value));
        }
        scheduler.spawn(fn, args);
    }

    // ---- host callbacks ----------------------------------------------------------------------------------------

    /** A Lua function waiting for a Java thread to {@link #complete} it; it keeps the engine alive meanwhile. */
    private record Pending(Registry.Handle handle, LuaValue fn) {}

    /** Registers {@code fn} as a one-shot callback; returns its id. Lua thread. */
    public long register(LuaValue fn, boolean background) {
        scheduler.checkBaton();
        Registry.Handle h = registry.register("callback", background, null);
        callbacks.put(h.id(), new Pending(h, fn));
        return h.id();
    }

    /** Starts a registered callback with {@code result} converted to Lua. Unknown or completed ids: nothing. */
    public void complete(long id, Object... result) {
        run(() -> {
            Pending c = callbacks.remove(id);
            if (c == null) return;
            spawn(c.fn(), CONVERT, result, null); // spawned first: the engine never looks idle in between
            c.handle().release();
        });
    }

    /** Engine close: pending callbacks are dropped (their handles close with the registry). Lua thread. */
    public void clear() {
        callbacks.clear();
    }

    // ---- Java outcomes as Lua values ---------------------------------------------------------------------------

    private static boolean isNil(LuaValue v) {
        return v == null || v.isnil();
    }

    /** A Java result as Lua values: Varargs as they are, anything else converted. */
    public static Varargs values(Object v) {
        if (v instanceof Varargs) return (Varargs) v;
        return LuaConvert.toLua(v);
    }

    /** The Lua error value for a Java failure: a Lua error keeps its value, others become their message. */
    public static LuaValue errorValue(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null)
            e = e.getCause();
        if (e instanceof LuaError) return LuaScriptException.messageValue((LuaError) e);
        if (e instanceof LuaScriptException && ((LuaScriptException) e).value() != null)
            return ((LuaScriptException) e).value();
        if (e instanceof CancellationException) return LuaValue.valueOf("cancelled");
        String m = e.getMessage();
        return LuaValue.valueOf(m != null ? m : e.toString());
    }
}
