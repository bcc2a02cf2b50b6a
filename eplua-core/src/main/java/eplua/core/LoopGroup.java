package eplua.core;

import eplua.core.internal.loop.Loops;

/**
 * Event loops that engines share. Each engine is placed on one loop of its group and stays confined to it: its Lua,
 * timers, sockets and callbacks all run there, one step at a time, and engines on the same loop take turns (they
 * never run Lua at the same moment, and a slow callback of one delays the others on its loop). Each keeps its own
 * Lua state, globals, timers and sockets.
 *
 * <p>By default engines go on {@link #shared()}, one group per JVM with one loop per core ({@code -Deplua.loops=N}).
 * A host that wants to keep some engines apart makes a group of its own ({@link #create}) and builds them with
 * {@link Engine.Builder#loopGroup}; {@link Engine.Builder#ownLoop} gives an engine a loop to itself. Loop threads are
 * daemons: while an engine is alive (a pending timer, a task, an open server) one JVM-wide keep-alive thread holds
 * the JVM open, as Node does, and none does once every engine is idle or closed.
 */
public final class LoopGroup implements AutoCloseable {
    private static final class Shared {
        static final LoopGroup GROUP = new LoopGroup(Integer.getInteger("eplua.loops",
                Runtime.getRuntime().availableProcessors()), "eplua-loop");
    }

    final Loops loops;

    private LoopGroup(int n, String threadName) {
        loops = Loops.create(n, threadName);
    }

    /** The JVM's shared group, made at first use: {@code -Deplua.loops} loops (default: one per core). */
    public static LoopGroup shared() {
        return Shared.GROUP;
    }

    /** A group of {@code loops} loops of its own; {@link #close()} it once its engines are closed. */
    public static LoopGroup create(int loops) {
        return new LoopGroup(loops, "eplua-group-loop");
    }

    /** How many loops (threads) the group has. */
    public int loops() {
        return loops.size();
    }

    /** How many engines are placed on the group now (closed ones have left). */
    public int engines() {
        return loops.engines();
    }

    /**
     * Stops the group's threads. Engines still on it stop running: close them first. The shared group cannot be
     * closed.
     */
    @Override
    public void close() {
        if (this == Shared.GROUP) throw new UnsupportedOperationException("the shared loop group stays for the JVM");
        loops.shutdown().awaitUninterruptibly(10_000);
    }
}
