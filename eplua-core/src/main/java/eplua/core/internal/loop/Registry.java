package eplua.core.internal.loop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Every pending thing that can call back into Lua (timer, task, socket, server, request, client), under a unique id.
 * "Alive" is the number of handles not marked as background ({@code system=true} / unref), plus what
 * {@link #retain} counts; every change goes to the listener. Confined to the thread that runs Lua.
 */
public final class Registry {
    private final Map<Long, Handle> handles = new LinkedHashMap<>();
    private final IntConsumer aliveListener;
    private long nextId;
    private int alive;
    /** Open handles by kind, for metrics (read from any thread). */
    private final Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();

    public Registry(IntConsumer aliveListener) {
        this.aliveListener = aliveListener;
    }

    /** A new handle; {@code closer} (may be null) frees the resource when the engine closes. */
    public Handle register(String kind, boolean system, AutoCloseable closer) {
        return register(kind, system, closer, null);
    }

    /** As {@link #register(String, boolean, AutoCloseable)}, owned by {@code owner} (null: by none). */
    public Handle register(String kind, boolean system, AutoCloseable closer, Owned owner) {
        Handle h = new Handle(++nextId, kind, system, closer);
        handles.put(h.id, h);
        kinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        if (!system) changeAlive(+1);
        if (owner != null) owner.add(h);
        return h;
    }

    /**
     * Keeps the engine alive ({@code +1}) or lets it go ({@code -1}) for things too numerous to register one by one
     * (timers, tasks): their owners count them and free them themselves.
     */
    public void retain(int delta) {
        if (delta != 0) changeAlive(delta);
    }

    /** How many handles of each kind are open now (kinds with none left out). Any thread. */
    public Map<String, Integer> openByKind() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        kinds.forEach((k, n) -> {
            int v = n.get();
            if (v > 0) out.put(k, v);
        });
        return out;
    }

    /** Closes every handle still registered, newest first; failures are collected, not thrown one by one. */
    public List<Throwable> closeAll() {
        List<Handle> all = new ArrayList<>(handles.values());
        List<Throwable> failures = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Handle h = all.get(i);
            try {
                h.release();
                if (h.closer != null) h.closer.close();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
        return failures;
    }

    private void changeAlive(int delta) {
        alive += delta;
        aliveListener.accept(alive);
    }

    /**
     * The handles one task owns (see {@link eplua.core.spi.Resource}), newest first: an intrusive list, so that
     * tracking, releasing and detaching cost O(1) however many a task holds.
     */
    public static final class Owned {
        private Handle newest;

        void add(Handle h) {
            h.owner = this;
            h.nextOwned = newest;
            if (newest != null) newest.prevOwned = h;
            newest = h;
        }

        void remove(Handle h) {
            if (h.owner != this) return;
            if (h.prevOwned != null) h.prevOwned.nextOwned = h.nextOwned;
            else newest = h.nextOwned;
            if (h.nextOwned != null) h.nextOwned.prevOwned = h.prevOwned;
            h.owner = null;
            h.prevOwned = h.nextOwned = null;
        }

        /** The task ended without being cancelled: its handles stay open and belong to no task any more. */
        public void disownAll() {
            while (newest != null) remove(newest);
        }

        /**
         * The task was cancelled: closes every handle it still owns with its closer, newest first, then releases it.
         * Failures are collected, not thrown one by one.
         */
        public List<Throwable> closeAll() {
            List<Throwable> failures = null;
            Handle h;
            while ((h = newest) != null) {
                remove(h);
                try {
                    if (!h.released && h.closer != null) h.closer.close();
                } catch (Throwable t) {
                    if (failures == null) failures = new ArrayList<>(1);
                    failures.add(t);
                } finally {
                    h.release();
                }
            }
            return failures == null ? List.of() : failures;
        }

        public boolean isEmpty() {
            return newest == null;
        }
    }

    /** One registered thing. */
    public final class Handle implements eplua.core.spi.Resource {
        private final long id;
        private final String kind;
        private final AutoCloseable closer;
        private boolean system;
        private boolean released;
        private Owned owner;              // the task that owns it, or null
        private Handle prevOwned, nextOwned;

        Handle(long id, String kind, boolean system, AutoCloseable closer) {
            this.id = id;
            this.kind = kind;
            this.system = system;
            this.closer = closer;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public boolean isReleased() {
            return released;
        }

        @Override
        public void keepAlive(boolean keepAlive) {
            if (released || system != keepAlive) return; // no change (system is the opposite of keeping alive)
            system = !keepAlive;
            changeAlive(keepAlive ? +1 : -1);
        }

        @Override
        public boolean keepsAlive() {
            return !released && !system;
        }

        @Override
        public void detach() {
            if (owner != null) owner.remove(this);
        }

        /** True while a task owns it. */
        public boolean isOwned() {
            return owner != null;
        }

        /** Leaves the registry (idempotent). Does not close the resource: its owner does that. */
        @Override
        public void release() {
            if (released) return;
            released = true;
            detach();
            handles.remove(id);
            AtomicInteger n = kinds.get(kind);
            if (n != null) n.decrementAndGet();
            if (!system) changeAlive(-1);
        }

        @Override
        public String toString() {
            return kind + "#" + id;
        }
    }
}
