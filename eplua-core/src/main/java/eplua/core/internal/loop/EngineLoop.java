package eplua.core.internal.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;

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

    private EngineLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory ioHandlerFactory) {
        super(parent, executor, ioHandlerFactory);
    }

    /** A group of one such loop. */
    public static MultiThreadIoEventLoopGroup group(ThreadFactory threads, IoHandlerFactory io) {
        return new MultiThreadIoEventLoopGroup(1, threads, io) {
            @Override
            protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
                return new EngineLoop(this, executor, ioHandlerFactory);
            }
        };
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
