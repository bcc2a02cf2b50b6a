package eplua.core.internal.metrics;

import eplua.core.internal.loop.EngineLoop;
import io.netty.channel.EventLoop;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One probe per loop for the meters of all its engines: every {@link Meter#PROBE_NANOS} it measures how late it runs
 * (the loop's lag, which every engine of the loop shares) and hands that to each meter. A loop of a thousand idle
 * engines wakes ten times a second for it, not ten thousand.
 */
final class LoopProbe implements Runnable {
    private final EventLoop loop;
    private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
    private boolean scheduled; // guarded by this
    private long expected;     // loop thread (set under the lock before the first run)

    private LoopProbe(EventLoop loop) {
        this.loop = loop;
    }

    /** The probe of {@code loop}. */
    static LoopProbe of(EventLoop loop) {
        return loop instanceof EngineLoop ? ((EngineLoop) loop).shared(LoopProbe.class, LoopProbe::new)
                : new LoopProbe(loop);
    }

    void add(Meter m) {
        meters.add(m);
        synchronized (this) {
            if (scheduled) return;
            scheduled = true;
            expected = System.nanoTime() + Meter.PROBE_NANOS;
        }
        schedule();
    }

    void remove(Meter m) {
        meters.remove(m);
    }

    private void schedule() {
        try {
            loop.schedule(this, Meter.PROBE_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false; // the loop is stopping
            }
        }
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        long lag = Math.max(0, now - expected);
        for (Meter m : meters) m.probe(now, lag);
        synchronized (this) {
            if (meters.isEmpty()) {
                scheduled = false; // the next meter to come starts it again
                return;
            }
            expected = System.nanoTime() + Meter.PROBE_NANOS;
        }
        schedule();
    }
}
