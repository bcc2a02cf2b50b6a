package eplua.core.internal.loop;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node-style timers with millisecond resolution over one Netty scheduled task. Timers are kept in buckets, one per
 * due millisecond, fired in order of that millisecond and, inside it, in the order they were scheduled (so timers
 * due together fire in creation order). Adding or clearing a timer costs O(1) plus O(log buckets); a batch of due
 * timers fires together, after which {@code afterFire} runs (the engine drains its run queue there, so a batch of
 * Lua callbacks costs one hand-off). Confined to the thread that runs Lua.
 */
public final class Timers {
    private final EventLoop loop;
    private final Registry registry;
    private final Runnable afterFire;
    private final PriorityQueue<Bucket> buckets = new PriorityQueue<>();
    private final LongMap<Bucket> bucketByMs = new LongMap<>();
    private final TimerSlots byId = new TimerSlots();
    private final Runnable fireTask = this::fire;
    private final long origin = System.nanoTime() - 1_000_000L; // so that every millisecond key is >= 1
    private Bucket lastBucket;
    private ScheduledFuture<?> armed;
    private long armedAt = Long.MAX_VALUE;

    public Timers(EventLoop loop, Registry registry, Runnable afterFire) {
        this.loop = loop;
        this.registry = registry;
        this.afterFire = afterFire;
    }

    /**
     * Adds a timer; {@code action} runs on the loop thread when it is due (for intervals, at a fixed rate with no
     * drift from callback time). Returns its id (timeouts and intervals share one id space).
     */
    public long add(double delayMs, double periodMs, boolean system, Consumer<Ticket> action) {
        return add(delayMs, periodMs, system, action, null);
    }

    /**
     * As {@link #add(double, double, boolean, Consumer)}, with a value for the action to read from its ticket
     * ({@link Ticket#payload()}): many timers can then share one action object.
     */
    public long add(double delayMs, double periodMs, boolean system, Consumer<Ticket> action, Object payload) {
        Timer t = new Timer();
        t.payload = payload;
        t.id = byId.put(t);
        t.period = periodMs > 0 ? Math.max(ms(periodMs), 1) : 0;
        t.action = action;
        t.system = system;
        if (!system) registry.retain(+1);
        long delay = ms(delayMs);
        // +1: the current millisecond has partly passed, and a timer must never fire before its delay
        schedule(t, nowMs() + (delay > 0 ? delay + 1 : 0));
        return t.id;
    }

    /** Timeouts and intervals not yet fired or cleared (read racily from any thread, for metrics). */
    public int pending() {
        return byId.size;
    }

    /** Cancels a timer; unknown ids and second calls are no-ops. */
    public boolean cancel(long id) {
        Timer t = byId.get(id);
        if (t == null) return false;
        cancel(t);
        return true;
    }

    private void cancel(Timer t) {
        byId.remove(t);
        t.cancelled = true;
        if (!t.system) registry.retain(-1);
    }

    /** Cancels every timer (engine close). */
    public void clear() {
        for (Timer t : byId.values()) cancel(t);
        buckets.clear();
        bucketByMs.clear();
        lastBucket = null;
        if (armed != null) armed.cancel(false);
        armed = null;
    }

    private void schedule(Timer t, long dueMs) {
        t.dueMs = dueMs;
        Bucket b = lastBucket;
        if (b == null || b.ms != dueMs || b.fired) {
            b = bucketByMs.get(dueMs);
            if (b == null) {
                b = new Bucket(dueMs);
                bucketByMs.put(dueMs, b);
                buckets.add(b);
                if (dueMs < armedAt) arm(dueMs);
            }
            lastBucket = b;
        }
        b.timers.add(t);
    }

    /**
     * Runs the actions of the timers due now, bucket by bucket, in one pass over the timers (with a million due, each
     * further pass would miss the cache a million times more). Timers that actions add run in a later batch. A timer
     * cleared by an earlier action of the batch does not run; an interval is rescheduled before its action runs.
     */
    private void fire() {
        armed = null;
        armedAt = Long.MAX_VALUE;
        long now = nowMs();
        List<Bucket> due = new ArrayList<>();
        Bucket head;
        while ((head = buckets.peek()) != null && head.ms <= now) {
            buckets.poll();
            bucketByMs.remove(head.ms);
            head.fired = true;
            due.add(head);
        }
        for (Bucket b : due) {
            Timer t;
            while ((t = b.timers.poll()) != null) {
                if (t.cancelled) continue;
                if (t.period > 0) {
                    // fixed rate: keep the phase, skip beats that are already past
                    long next = t.dueMs + t.period;
                    if (next <= now) next += ((now - next) / t.period + 1) * t.period;
                    schedule(t, next);
                }
                t.action.accept(t);
            }
        }
        afterFire.run();
        head = buckets.peek();
        if (head != null) arm(head.ms);
    }

    private void arm(long dueMs) {
        if (armed != null) {
            if (armedAt <= dueMs) return;
            armed.cancel(false);
        }
        armedAt = dueMs;
        long delayNanos = Math.max(0, dueMs * 1_000_000L - (System.nanoTime() - origin));
        armed = loop.schedule(fireTask, delayNanos, TimeUnit.NANOSECONDS);
    }

    private long nowMs() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    private static long ms(double ms) {
        if (!(ms > 0)) return 0; // negative, zero and NaN mean "as soon as possible", as in Node
        return (long) Math.ceil(ms);
    }

    /**
     * What a fired timer hands to its action. The action runs later (in the same batch); {@link #consume()} tells,
     * at that moment, whether the timer still wants to run: a {@code clearTimeout} in between wins, as in Node.
     */
    public interface Ticket {
        /** What the timer was added with ({@link #add(double, double, boolean, Consumer, Object)}), or null. */
        Object payload();

        /** True if the callback should run now; a one-shot timer ends here (and stops keeping the engine alive). */
        boolean consume();

        /**
         * As {@link #consume()}, but a one-shot timer that kept the engine alive hands that count over to the
         * caller instead of dropping it: returns -1 (do not run), 0 (run) or 1 (run; the caller now holds one
         * {@link Registry#retain} count and must release it). No moment where the engine looks idle in between.
         */
        int consumeKeepingAlive();
    }

    /**
     * Live timers by id without a hash map: an id is a slot number plus a generation, slots are reused newest
     * first (so they stay in cache), and a stale id (cleared, fired) never matches a slot's new timer.
     */
    private static final class TimerSlots {
        private static final int SLOT_BITS = 24;
        private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
        private Timer[] slots = new Timer[16]; // small: most engines hold a few timers; grows by doubling
        private int[] generations = new int[16];
        private int[] free = new int[16];
        private int freeTop;
        private int used;
        private int size;

        long put(Timer t) {
            int slot;
            if (freeTop > 0) {
                slot = free[--freeTop];
            } else {
                if (used == slots.length) {
                    if (used > SLOT_MASK) throw new IllegalStateException("too many timers");
                    slots = java.util.Arrays.copyOf(slots, used * 2);
                    generations = java.util.Arrays.copyOf(generations, used * 2);
                }
                slot = used++;
            }
            int gen = generations[slot] = (generations[slot] + 1) & 0x0FFFFFFF; // ids stay below 2^52
            slots[slot] = t;
            size++;
            return ((long) gen << SLOT_BITS) | slot;
        }

        Timer get(long id) {
            long slot = id & SLOT_MASK;
            if (id <= 0 || slot >= used) return null;
            Timer t = slots[(int) slot];
            return t != null && t.id == id ? t : null;
        }

        /** Frees the slot of {@code t}, a live timer. */
        void remove(Timer t) {
            int slot = (int) (t.id & SLOT_MASK);
            slots[slot] = null;
            if (freeTop == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
            free[freeTop++] = slot;
            size--;
        }

        List<Timer> values() {
            List<Timer> out = new ArrayList<>(size);
            for (int i = 0; i < used; i++) if (slots[i] != null) out.add(slots[i]);
            return out;
        }
    }

    private final class Timer implements Ticket {
        long id;
        long dueMs;
        long period;
        boolean system;
        boolean cancelled;
        Consumer<Ticket> action;
        Object payload;

        @Override
        public Object payload() {
            return payload;
        }

        @Override
        public boolean consume() {
            if (cancelled) return false;
            if (period == 0) cancel(this);
            return true;
        }

        @Override
        public int consumeKeepingAlive() {
            if (cancelled) return -1;
            if (period != 0) return 0;
            boolean keeps = !system;
            system = true; // so that cancel() does not release the count we hand over
            cancel(this);
            return keeps ? 1 : 0;
        }
    }

    private static final class Bucket implements Comparable<Bucket> {
        final long ms;
        final ArrayDeque<Timer> timers = new ArrayDeque<>(4);
        boolean fired;

        Bucket(long ms) {
            this.ms = ms;
        }

        @Override
        public int compareTo(Bucket o) {
            return Long.compare(ms, o.ms);
        }
    }
}
