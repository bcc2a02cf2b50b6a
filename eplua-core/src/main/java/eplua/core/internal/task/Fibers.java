package eplua.core.internal.task;

import eplua.core.FiberMode;

import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which {@link FiberMode} an engine gets, and the threads of each mode: virtual threads carried by the engine's loop
 * thread, virtual threads on the JVM's scheduler, or daemon platform threads.
 */
public final class Fibers {
    private Fibers() {}

    private static final System.Logger LOG = System.getLogger("eplua");
    /** Messages already logged: each reason is told once per JVM. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final ThreadFactory VIRTUAL = findVirtualFactory();
    private static final AtomicLong COUNT = new AtomicLong();
    /**
     * The JDK's builder of virtual threads with a given scheduler, which is not public: the JVM must be started with
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Null when it cannot be had, and then {@link #CARRIED_MISSING}
     * says why.
     */
    private static final Constructor<?> CARRIED;
    private static final String CARRIED_MISSING;

    static {
        Constructor<?> c = null;
        String why = null;
        try {
            c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
            c.setAccessible(true); // InaccessibleObjectException (a RuntimeException) without --add-opens
        } catch (ReflectiveOperationException e) {
            c = null;
            why = "this JDK has no virtual thread builder with a scheduler (" + e + ")";
        } catch (RuntimeException e) {
            c = null;
            why = "--add-opens java.base/java.lang=ALL-UNNAMED missing";
        }
        CARRIED = c;
        CARRIED_MISSING = why;
    }

    /** The mode an engine gets, and why it is not the one asked for (or the fastest), or null. */
    public record Choice(FiberMode mode, String reason) {}

    /**
     * The mode for a new engine: {@code requested}, else the one the system properties ask for, else the fastest;
     * one the JVM cannot give falls back to the next one down. With {@code log}, a fallback is logged once per JVM:
     * at WARNING when a mode was asked for, at INFO when only the default (CARRIED) was not available.
     */
    public static Choice choose(FiberMode requested, boolean log) {
        FiberMode asked = requested != null ? requested : fromProperties(log);
        FiberMode mode = asked != null ? asked : FiberMode.CARRIED;
        String why = null;
        for (String r; (r = unavailable(mode)) != null; mode = mode == FiberMode.CARRIED ? FiberMode.VIRTUAL : FiberMode.PLATFORM)
            if (why == null) why = r;
        if (log && why != null) {
            if (asked != null)
                logOnce(System.Logger.Level.WARNING, "eplua: fiber mode " + name(asked) + " is not available ("
                        + why + "); engines use " + name(mode));
            else
                logOnce(System.Logger.Level.INFO, "eplua: fiber mode " + name(mode) + ", not carried (the fastest: "
                        + "virtual threads on each engine's loop thread): " + why);
        }
        return new Choice(mode, why);
    }

    /** Why the JVM cannot give {@code mode}, or null. */
    static String unavailable(FiberMode mode) {
        if (mode == FiberMode.PLATFORM) return null;
        if (VIRTUAL == null) return "Java " + Runtime.version().feature() + ": no virtual threads";
        return mode == FiberMode.CARRIED ? CARRIED_MISSING : null;
    }

    /** The mode asked for by -Deplua.fibers, or by the older -Deplua.virtual=false / -Deplua.carrier=false; or null. */
    private static FiberMode fromProperties(boolean log) {
        String p = System.getProperty("eplua.fibers");
        if (p != null && !p.isBlank()) {
            try {
                return FiberMode.valueOf(p.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                if (log) logOnce(System.Logger.Level.WARNING, "eplua: ignoring -Deplua.fibers=" + p
                        + " (expected carried, virtual or platform)");
            }
        }
        if ("false".equals(System.getProperty("eplua.virtual"))) return FiberMode.PLATFORM;
        if ("false".equals(System.getProperty("eplua.carrier"))) return FiberMode.VIRTUAL;
        return null;
    }

    /** The name of a mode as -Deplua.fibers spells it. */
    private static String name(FiberMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    static void logOnce(System.Logger.Level level, String message) {
        if (LOGGED.add(message)) LOG.log(level, message);
    }

    /** A factory of virtual threads that run on {@code scheduler}; null if the JDK refuses (logged). */
    static ThreadFactory carriedFactory(Executor scheduler) {
        if (CARRIED == null) return null;
        try {
            Object builder = CARRIED.newInstance(scheduler);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "eplua-vfiber-", 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            logOnce(System.Logger.Level.WARNING, "eplua: fiber mode carried failed, engines use virtual: " + e);
            return null;
        }
    }

    /**
     * The most tasks alive an engine in {@code mode} allows by default (-Deplua.maxTasks): platform threads are scarce
     * (pid_max, native stacks), virtual ones are not.
     */
    public static int taskCap(FiberMode mode) {
        return mode == FiberMode.PLATFORM ? 8192 : 1_000_000;
    }

    /** A new (unstarted) fiber thread of {@code mode}; {@code carried} is the factory of a CARRIED engine. */
    static Thread newThread(String loopName, Runnable body, FiberMode mode, ThreadFactory carried) {
        if (mode == FiberMode.CARRIED) return carried.newThread(body);
        if (mode == FiberMode.VIRTUAL) return VIRTUAL.newThread(body);
        Thread t = new Thread(null, body, loopName + "-fiber-" + COUNT.incrementAndGet(), stackSize());
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
