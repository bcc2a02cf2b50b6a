package eplua.core.loop;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node-style timers over one Netty scheduled task: a priority queue ordered by deadline, then creation order, armed
 * for its head. Timers due together fire in one batch, after which {@code afterFire} runs (the engine drains its run
 * queue there, so a batch of Lua callbacks costs one hand-off). Confined to the thread that runs Lua.
 */
public final class Timers {
    private final EventLoop loop;
    private final Registry registry;
    private final Runnable afterFire;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final Map<Long, Timer> byId = new HashMap<>();
    private final Runnable fireTask = this::fire;
    private ScheduledFuture<?> armed;
    private long armedAt;
    private long seq;
    private int cancelledInQueue;

    public Timers(EventLoop loop, Registry registry, Runnable afterFire) {
        this.loop = loop;
        this.registry = registry;
        this.afterFire = afterFire;
    }

    /**
     * Adds a timer; {@code action} runs on the loop thread when it is due (for intervals, at a fixed rate with no
     * drift from callback time). Returns its id, which lives in the registry's id space.
     */
    public long add(double delayMs, double periodMs, boolean system, Consumer<Ticket> action) {
        long now = System.nanoTime();
        Timer t = new Timer();
        t.due = now + toNanos(delayMs);
        t.period = periodMs > 0 ? Math.max(toNanos(periodMs), 1_000_000L) : 0;
        t.seq = ++seq;
        t.action = action;
        t.handle = registry.register(t.period > 0 ? "interval" : "timeout", system, null);
        byId.put(t.handle.id(), t);
        queue.add(t);
        if (queue.peek() == t) arm(now);
        return t.handle.id();
    }

    /** Cancels a timer; unknown ids and second calls are no-ops. */
    public boolean cancel(long id) {
        Timer t = byId.remove(id);
        if (t == null) return false;
        t.cancelled = true;
        t.handle.release();
        if (++cancelledInQueue > 64 && cancelledInQueue > queue.size() / 2) purge();
        return true;
    }

    /** Marks a timer as background (does not keep the engine alive) or not. */
    public void setSystem(long id, boolean system) {
        Timer t = byId.get(id);
        if (t != null) t.handle.setSystem(system);
    }

    public int size() {
        return byId.size();
    }

    /** Cancels every timer (engine close). */
    public void clear() {
        for (Timer t : new ArrayList<>(byId.values())) cancel(t.handle.id());
        queue.clear();
        cancelledInQueue = 0;
        if (armed != null) armed.cancel(false);
        armed = null;
    }

    private void fire() {
        armed = null;
        long now = System.nanoTime();
        List<Timer> due = new ArrayList<>();
        Timer t;
        while ((t = queue.peek()) != null && t.due - now <= 0) {
            queue.poll();
            if (t.cancelled) {
                cancelledInQueue--;
                continue;
            }
            due.add(t);
        }
        for (Timer d : due) {
            if (d.period > 0) {
                // fixed rate: keep the phase, skip beats that are already past
                long next = d.due + d.period;
                if (next - now <= 0) next += ((now - next) / d.period + 1) * d.period;
                d.due = next;
                queue.add(d);
            }
        }
        for (Timer d : due) d.action.accept(d);
        afterFire.run();
        arm(System.nanoTime());
    }

    private void arm(long now) {
        Timer head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
            cancelledInQueue--;
        }
        if (head == null) return;
        if (armed != null) {
            if (armedAt - head.due <= 0) return; // already armed early enough
            armed.cancel(false);
        }
        armedAt = head.due;
        armed = loop.schedule(fireTask, Math.max(0, head.due - now), TimeUnit.NANOSECONDS);
    }

    private void purge() {
        queue.removeIf(x -> x.cancelled);
        cancelledInQueue = 0;
    }

    private static long toNanos(double ms) {
        if (!(ms > 0)) return 0; // negative, zero and NaN mean "as soon as possible", as in Node
        return (long) (ms * 1_000_000d);
    }

    /**
     * What a fired timer hands to its action. The action runs later (in the same batch); {@link #consume()} tells,
     * at that moment, whether the timer still wants to run: a {@code clearTimeout} in between wins, as in Node.
     */
    public interface Ticket {
        /** True if the callback should run now; a one-shot timer leaves the registry here. */
        boolean consume();
    }

    private final class Timer implements Comparable<Timer>, Ticket {
        long due;
        long period;
        long seq;
        boolean cancelled;
        Consumer<Ticket> action;
        Registry.Handle handle;

        @Override
        public boolean consume() {
            if (cancelled) return false;
            if (period == 0) {
                byId.remove(handle.id());
                handle.release();
                cancelled = true;
            }
            return true;
        }

        @Override
        public int compareTo(Timer o) {
            long d = due - o.due;
            if (d != 0) return d < 0 ? -1 : 1;
            return Long.compare(seq, o.seq);
        }
    }
}
