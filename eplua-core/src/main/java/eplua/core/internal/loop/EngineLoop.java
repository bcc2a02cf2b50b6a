package eplua.core.internal.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.IntSupplier;

import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A Netty event loop that carries engines: one thread, any number of engines placed on it (see {@link Loops}), each
 * confined to it. It holds what its engines share: the {@link LoopGate} (the loop's one turn at running Lua, lent to
 * host threads while the loop blocks for I/O) and per-loop parts made on demand ({@link #shared}, e.g. the pool of
 * fibers). It counts the fibers mounted on its thread (Java 21+) as "in the event loop": they run on that very OS
 * thread while the loop waits for them, so a write or a close from Lua goes straight to the channel instead of
 * through the task queue, and its listeners run before Lua goes on.
 */
public final class EngineLoop extends SingleThreadIoEventLoop {
    private volatile Predicate<Thread> mountedHere = t -> false;
    private volatile LoopGate gate;
    private volatile Thread thread;
    private boolean gateSeen; // loop thread: the gate was reopened by the hook after select, as it should be
    private final AtomicInteger engines = new AtomicInteger();
    private final ConcurrentHashMap<Class<?>, Object> shared = new ConcurrentHashMap<>();

    private EngineLoop(MultiThreadIoEventLoopGroup parent, Executor executor, IoHandlerFactory ioHandlerFactory) {
        super(parent, executor, ioHandlerFactory);
    }

    /**
     * A group of {@code n} such loops over NIO, whose selectors give the loop's turn up while they block (see
     * {@link LoopGate}, opened once the loop {@link #started})).
     */
    static MultiThreadIoEventLoopGroup group(int n, ThreadFactory threads) {
        return new MultiThreadIoEventLoopGroup(n, threads, NioIoHandler.newFactory()) {
            @Override
            protected IoEventLoop newChild(Executor executor, IoHandlerFactory ignored, Object... args) {
                GateStrategy strategy = new GateStrategy();
                EngineLoop l = new EngineLoop(this, executor,
                        NioIoHandler.newFactory(SelectorProvider.provider(), () -> strategy));
                strategy.loop = l;
                return l;
            }
        };
    }

    /**
     * Opens the loop to host threads while it waits for I/O. The "after" hook is Netty's call to
     * {@link #isSuspensionSupported()} that NIO makes between its select and the processing of the selected keys
     * (Netty 4.2); {@link #runIo()} checks that it came, and closes the gate for good (host threads then always go
     * through the loop) if a Netty version ever stops making it. Loop thread.
     */
    void started() {
        assert inEventLoop();
        thread = Thread.currentThread();
        if (!"false".equals(System.getProperty("eplua.idleEntry"))) gate = new LoopGate(thread);
    }

    /** The loop's thread. */
    public Thread thread() {
        return thread;
    }

    /** The loop's gate, or null when host threads must always go through the loop. */
    public LoopGate gate() {
        return gate;
    }

    /** A part this loop's engines share, made once by {@code make}. Any thread. */
    @SuppressWarnings("unchecked")
    public <T> T shared(Class<T> kind, Function<EngineLoop, T> make) {
        Object o = shared.get(kind);
        if (o == null) o = shared.computeIfAbsent(kind, k -> make.apply(this));
        return (T) o;
    }

    /** The loop stops: its shared parts that need it are closed (their threads end). */
    void closeShared() {
        for (Object o : shared.values()) {
            if (o instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) o).close();
                } catch (Exception e) {
                    // nothing to tell: the loop is going away
                }
            }
        }
    }

    /** Engines placed on this loop now. */
    public int engines() {
        return engines.get();
    }

    void placed() {
        engines.incrementAndGet();
    }

    /** An engine on this loop closed. */
    public void left() {
        engines.decrementAndGet();
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

    /** Which other threads run on the loop's thread right now (set once, by the loop's fibers). */
    public void mountedHere(Predicate<Thread> p) {
        this.mountedHere = p;
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return super.inEventLoop(thread) || mountedHere.test(thread);
    }
}
