package eplua.net.common;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Operations waiting in order (reads, receives, accepts, next messages), each with an optional timeout after which it
 * leaves the queue and fails with the bare word {@code "timeout"} (as LuaSocket's receive: the caller knows what it
 * waited for). A waiter that is cancelled (the core cancels the future a cancelled task was awaiting) leaves the
 * queue at once, so what arrives later goes to the next waiter. Touched only by whoever holds the engine's baton (Lua
 * calls, Netty handlers); timers fire on the engine's loop, which holds it too.
 */
public final class Waiters<W extends Waiters.Waiter<?>> {
    /** A waiting operation: its future, and the timer that ends the wait. Subclass to carry what the wait wants. */
    public static class Waiter<T> extends CompletableFuture<T> {
        ScheduledFuture<?> timer;
        Waiters<?> queue; // where it waits, while it waits

        /** Cancelled by the waiting task's cancellation: it stops waiting (no later item is handed to it). */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Waiters<?> q = queue;
            if (cancelled && q != null) q.gone(this);
            return cancelled;
        }
    }

    private final ArrayDeque<W> queue = new ArrayDeque<>();
    private final EventExecutor loop;
    private final Runnable afterTimeout;

    /** {@code afterTimeout} (may be null) runs after a waiter timed out, e.g. to stop reading. */
    public Waiters(EventExecutor loop, Runnable afterTimeout) {
        this.loop = loop;
        this.afterTimeout = afterTimeout;
    }

    /** Queues {@code w}; with {@code timeoutMs > 0} it fails with "timeout" if still waiting then. */
    public void add(W w, long timeoutMs) {
        queue.add(w);
        w.queue = this;
        if (timeoutMs > 0) expireAfter(w, timeoutMs);
    }

    /** Starts the timeout of a queued waiter (for a caller that first tries to serve it at once). */
    public void expireAfter(W w, long timeoutMs) {
        w.timer = loop.schedule(() -> {
            if (queue.remove(w)) {
                w.queue = null;
                w.completeExceptionally(NetError.timeout(null));
                if (afterTimeout != null) afterTimeout.run();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** A waiter was cancelled: out of the queue, its timer stopped. */
    private void gone(Waiter<?> w) {
        w.queue = null;
        if (w.timer != null) w.timer.cancel(false);
        if (queue.remove(w) && afterTimeout != null) afterTimeout.run();
    }

    /** The oldest waiter, still queued. */
    public W peek() {
        return queue.peek();
    }

    /** Takes the oldest waiter out of the queue (its timer is cancelled); the caller completes it. */
    public W poll() {
        W w = queue.poll();
        if (w != null) {
            w.queue = null;
            if (w.timer != null) w.timer.cancel(false);
        }
        return w;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Fails every waiter with {@code why}. */
    public void failAll(NetError why) {
        W w;
        while ((w = poll()) != null) w.completeExceptionally(why);
    }
}
