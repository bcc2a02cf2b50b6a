package eplua.core.internal.loop;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A group of {@link EngineLoop}s that engines are placed on: each new engine goes to the loop with the fewest
 * engines. Daemon threads: a loop never holds the JVM open by itself (the engines' keep-alive does, see
 * {@code eplua.core.internal.engine.KeepAlive}).
 */
public final class Loops {
    private final MultiThreadIoEventLoopGroup group;
    private final List<EngineLoop> loops = new ArrayList<>();

    private Loops(int n, String threadName) {
        if (n < 1) throw new IllegalArgumentException("a loop group needs at least one loop: " + n);
        group = EngineLoop.group(n, loopFactory(threadName));
        group.forEach(e -> loops.add((EngineLoop) e));
        for (EngineLoop l : loops) {
            try {
                l.submit(l::started).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shutdown();
                throw new IllegalStateException("interrupted while starting loops", e);
            } catch (ExecutionException e) {
                shutdown();
                throw new IllegalStateException("loop start failed", e.getCause());
            }
        }
    }

    /** {@code n} loops on threads named {@code threadName-1}, {@code -2}, ... */
    public static Loops create(int n, String threadName) {
        return new Loops(n, threadName);
    }

    /** The loop with the fewest engines now, which counts the new one. */
    public synchronized EngineLoop place() {
        if (group.isShuttingDown()) throw new IllegalStateException("loop group is shut down");
        EngineLoop best = loops.get(0);
        for (EngineLoop l : loops) if (l.engines() < best.engines()) best = l;
        best.placed();
        return best;
    }

    public int size() {
        return loops.size();
    }

    /** Engines placed on the group's loops now. */
    public int engines() {
        int n = 0;
        for (EngineLoop l : loops) n += l.engines();
        return n;
    }

    public boolean isShutdown() {
        return group.isShuttingDown();
    }

    /** Stops the loops (their threads end once what is queued ran). */
    public Future<?> shutdown() {
        for (EngineLoop l : loops) l.closeShared();
        return group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /**
     * Loop threads: daemons with a deep stack (-Deplua.loopStack, default 16 MiB of address space, used only as deep
     * as Lua recurses), as carried fibers run their Lua on them: LuaJ takes ~1 KiB of Java stack per Lua call, so
     * 1 MiB stops recursion at 2-4 thousand levels, 16 MiB at ~16 thousand.
     */
    private static ThreadFactory loopFactory(String name) {
        long stack = Long.getLong("eplua.loopStack", 16L << 20);
        return new DefaultThreadFactory(name, true) {
            @Override
            protected Thread newThread(Runnable r, String threadName) {
                return new FastThreadLocalThread(threadGroup, r, threadName, stack);
            }
        };
    }
}
