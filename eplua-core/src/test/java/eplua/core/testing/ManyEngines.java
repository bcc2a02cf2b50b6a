package eplua.core.testing;

import eplua.core.Engine;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.lang.management.ManagementFactory;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** For tests that run many engines in one JVM: how many, host functions to mark progress, a bound on threads. */
public final class ManyEngines {
    /** Engines a many-engines test makes: 1,000, or {@code -Deplua.test.engines=N} while developing. */
    public static final int COUNT = Integer.getInteger("eplua.test.engines", 1000);
    /** Threads a JVM running engines may add beyond the loops: keep-alive, watchdog, JMX, Netty's and the JDK's. */
    public static final int FEW = 12;

    private ManyEngines() {}

    /** The JVM's live platform threads (virtual threads are not counted). */
    public static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * Asserts that the live threads grew by at most {@code loops + FEW + held} since {@code before} was read;
     * {@code held}: threads the test accounts for (a suspended task in fiber mode platform holds one).
     */
    public static void assertThreadsAdded(int before, int loops, int held, String when) {
        int added = liveThreads() - before;
        assertTrue(added <= loops + FEW + held,
                when + ": " + added + " threads added; loops " + loops + ", accounted for " + held);
    }

    /** Defines the global Java function {@code name} in {@code e}. Any thread. */
    public static void define(Engine e, String name, Function<Varargs, Varargs> body) {
        e.call(() -> {
            e.globals().set(name, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    return body.apply(args);
                }
            });
            return null;
        });
    }
}
