package eplua.core.task;

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
     * Experimental (-Deplua.virtualLoop=true, Java 21+): a factory for the engine's loop thread that makes it a
     * virtual thread too, so hand-offs between the loop and fibers need no OS wake-up. Null when off.
     */
    public static ThreadFactory loopFactory() {
        return virtual() && Boolean.getBoolean("eplua.virtualLoop") ? VIRTUAL : null;
    }

    static Thread newThread(String engineName, Runnable body) {
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
