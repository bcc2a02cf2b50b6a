package eplua.core.internal.task;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Makes the threads that carry Lua coroutines: virtual threads where the JVM has them, daemon platform threads otherwise. */
public final class Fibers {
    private Fibers() {}

    private static final ThreadFactory VIRTUAL = findVirtualFactory();
    private static final AtomicLong COUNT = new AtomicLong();

    /** True when coroutine carriers are virtual threads (Java 21+), unless -Deplua.virtual=false. */
    static boolean virtual() {
        return VIRTUAL != null && !"false".equals(System.getProperty("eplua.virtual"));
    }

    /**
     * True when virtual fibers can be mounted on the engine's own loop thread ({@link LoopCarrier}). That needs the
     * JDK's builder of virtual threads with a given scheduler, which is not public: the JVM must be started with
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the eplua jar's manifest says so). Without it fibers run
     * on the JVM's shared virtual-thread scheduler, which works the same, only slower. -Deplua.carrier=false turns
     * it off.
     */
    static boolean carried() {
        return CARRIED != null && virtual() && !"false".equals(System.getProperty("eplua.carrier"));
    }

    private static final java.lang.reflect.Constructor<?> CARRIED = findCarriedBuilder();

    /** A factory of virtual threads that run on {@code scheduler}; null unless {@link #carried()}. */
    static ThreadFactory carriedFactory(java.util.concurrent.Executor scheduler) {
        if (!carried()) return null;
        try {
            Object builder = CARRIED.newInstance(scheduler);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "eplua-vfiber-", 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static java.lang.reflect.Constructor<?> findCarriedBuilder() {
        try {
            java.lang.reflect.Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(java.util.concurrent.Executor.class);
            c.setAccessible(true); // InaccessibleObjectException (a RuntimeException) without --add-opens
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The engine's loop thread: a daemon with a deep stack (-Deplua.loopStack, default 16 MiB of address space, used
     * only as deep as Lua recurses), as carried fibers run their Lua on it: LuaJ takes ~1 KiB of Java stack per Lua
     * call, so 1 MiB stops recursion at 2-4 thousand levels, 16 MiB at ~16 thousand.
     */
    public static ThreadFactory loopFactory(String engineName) {
        long stack = Long.getLong("eplua.loopStack", 16L << 20);
        return new io.netty.util.concurrent.DefaultThreadFactory(engineName + "-loop", true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                return new io.netty.util.concurrent.FastThreadLocalThread(threadGroup, r, name, stack);
            }
        };
    }

    static Thread newThread(String engineName, Runnable body, ThreadFactory carried) {
        if (carried != null) return carried.newThread(body);
        if (virtual()) return VIRTUAL.newThread(body);
        Thread t = new Thread(null, body, engineName + "-fiber-" + COUNT.incrementAndGet(), stackSize());
        t.setDaemon(true); // an abandoned coroutine must never keep the JVM alive
        return t;
    }

    private static long stackSize() {
        // Lua recursion runs on these threads: give them a real stack, configurable.
        return Long.getLong("eplua.fiberStack", 1L << 20);
    }

    private static ThreadFactory findVirtualFactory() {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "eplua-vfiber-", 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // Java 17: no virtual threads
        }
    }
}
