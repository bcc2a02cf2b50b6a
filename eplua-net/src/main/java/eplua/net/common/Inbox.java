package eplua.net.common;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Things that arrive (accepted clients, datagrams, messages) and the operations that take them: an arriving item goes
 * to the oldest waiter, or waits in order for the next {@link #take}. Bounded: at {@code high} items the inbox either
 * asks its {@link Flow} to stop reading (until a take brings it down to {@code low}), or, with no flow, drops the
 * oldest item. Once closed, takes get what is still queued, then the close error. Baton holder only.
 */
public final class Inbox<T> {
    /** Turns reading from the source on and off (Netty's auto-read). */
    public interface Flow {
        void reading(boolean on);
    }

    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final Waiters<Waiters.Waiter<T>> waiters;
    private final int high;
    private final int low;
    private final Flow flow;
    private boolean paused;
    private NetError closed;

    public Inbox(EventExecutor loop, int high, int low, Flow flow) {
        this.waiters = new Waiters<>(loop, null);
        this.high = high;
        this.low = low;
        this.flow = flow;
    }

    /** Hands {@code item} to the oldest waiter, or keeps it. */
    public void put(T item) {
        Waiters.Waiter<T> w = waiters.poll();
        if (w != null) {
            w.complete(item);
            return;
        }
        if (flow == null && items.size() >= high) items.poll(); // bounded: the oldest gives way
        items.add(item);
        if (flow != null && !paused && items.size() >= high) {
            paused = true;
            flow.reading(false);
        }
    }

    /** The next item, now or when one arrives; fails "timeout" after {@code timeoutMs} (0: never), or the close error. */
    public CompletableFuture<T> take(long timeoutMs) {
        Waiters.Waiter<T> w = new Waiters.Waiter<>();
        T item = next();
        if (item != null) {
            w.complete(item);
        } else if (closed != null) {
            w.completeExceptionally(closed);
        } else {
            waiters.add(w, timeoutMs);
        }
        return w;
    }

    /**
     * The next item if one is queued, else null (a waiter queued before goes first: then null too). Never waits: the
     * non-blocking receive.
     */
    public T poll() {
        return waiters.isEmpty() ? next() : null;
    }

    private T next() {
        T item = items.poll();
        if (item != null && paused && items.size() <= low) {
            paused = false;
            flow.reading(true);
        }
        return item;
    }

    /** The error takes get once the queue is empty: null while open. */
    public NetError closedWith() {
        return closed;
    }

    /** No more items will come: waiters fail with {@code why}, and so will takes once the queue is empty. */
    public void close(NetError why) {
        if (closed == null) closed = why;
        waiters.failAll(closed);
    }

    public boolean isClosed() {
        return closed != null;
    }

    /** Removes and returns every queued item (to close them, say). */
    public List<T> drain() {
        List<T> all = new ArrayList<>(items);
        items.clear();
        return all;
    }

    /** Removes one queued item (one that went away before anybody took it). */
    public boolean remove(T item) {
        return items.remove(item);
    }
}
