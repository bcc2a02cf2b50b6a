package eplua.core.internal.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.IntSupplier;

import java.nio.channels.spi.SelectorProvider;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;

/**
 * An engine's Netty event loop. It counts the engine's fibers that are mounted on its thread (Java 21+, see
 * {@code eplua.core.internal.task.LoopCarrier}) as "in the event loop": they run on that very OS thread while the loop waits
 * for them, so a write or a close from Lua goes straight to the channel instead of through the task queue, and its
 * listeners run before Lua goes on.
 */
public final class EngineLoop extends SingleThreadIoEventLoop {
    private volatile Predicate<Thread> mountedHere = t -> false;
    private volatile LoopGate gate;
    private boolean gateSeen; // loop thread: the gate was reopened by the hook after select, as it should be

    private EngineLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory ioHandlerFactory) {
        super(parent, executor, ioHandlerFactory);
    }

    /**
     * A group of one such loop over NIO, whose selector gives the baton up while it blocks (see {@link LoopGate},
     * set later with {@link #gate}).
     */
    public static MultiThreadIoEventLoopGroup group(ThreadFactory threads) {
        GateStrategy strategy = new GateStrategy();
        MultiThreadIoEventLoopGroup g = new MultiThreadIoEventLoopGroup(1, threads,
                NioIoHandler.newFactory(SelectorProvider.provider(), () -> strategy)) {
            @Override
            protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
                EngineLoop l = new EngineLoop(this, executor, ioHandlerFactory);
                strategy.loop = l;
                return l;
            }
        };
        return g;
    }

    /**
     * Opens the loop to host threads while it waits for I/O: {@code gate} is told before the selector blocks and
     * after it wakes. The "after" hook is Netty's call to {@link #isSuspensionSupported()} that NIO makes between
     * its select and the processing of the selected keys (Netty 4.2); {@link #runIo()} checks that it came, and
     * closes the gate for good (host threads then always go through the loop) if a Netty version ever stops
     * making it.
     */
    public void gate(LoopGate gate) {
        this.gate = gate;
    }

    /** True while host threads may take the baton of an idle loop (see {@link #gate}). */
    public boolean gateOpen() {
        return gate != null;
    }

    void beforeBlock() {
        LoopGate g = gate;
        if (g != null) {
            gateSeen = false;
            g.beforeBlock();
        }
    }

    @Override
    protected boolean isSuspensionSupported() {
        LoopGate g = gate;
        if (g != null && super.inEventLoop(Thread.currentThread())) {
            gateSeen = true;
            g.afterBlock();
        }
        return super.isSuspensionSupported();
    }

    @Override
    protected int runIo() {
        int n = super.runIo();
        LoopGate g = gate;
        if (g != null && !gateSeen) {
            gate = null; // Netty did not call the hook where we rely on it: never open the gate again
            g.afterBlock();
        }
        gateSeen = true;
        return n;
    }

    /** Netty's default strategy, telling the gate before a blocking select. */
    private static final class GateStrategy implements SelectStrategy {
        volatile EngineLoop loop;

        @Override
        public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
            if (hasTasks) return selectSupplier.get();
            EngineLoop l = loop;
            if (l != null) l.beforeBlock();
            return SelectStrategy.SELECT;
        }
    }

    /** Which other threads run on the loop's thread right now (set once the engine's scheduler exists). */
    public void mountedHere(Predicate<Thread> p) {
        this.mountedHere = p;
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return super.inEventLoop(thread) || mountedHere.test(thread);
    }
}
