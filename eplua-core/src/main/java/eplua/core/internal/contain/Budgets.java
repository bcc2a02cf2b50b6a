package eplua.core.internal.contain;

import eplua.core.Profile;

import java.time.Duration;

/**
 * How much an engine's scripts may use, resolved: given on the builder, else by a system property, else the profile's
 * default. A value past a budget raises a catchable Lua error starting with {@code "budget:"} in the offending task.
 *
 * @param instructions Lua instructions (and library work, counted alike) a task may run between two suspensions
 *                     ({@code Long.MAX_VALUE}: no limit). Property {@code eplua.maxInstructions}.
 * @param evalMillis   wall-clock milliseconds a host's call into Lua (eval, spawn, invoke) may take, awaits included
 *                     (0: no limit). Property {@code eplua.maxEvalTime}.
 * @param maxString    the largest string a library function may build, in bytes. Property {@code eplua.maxString}.
 * @param maxTable     the most entries a library function may put in one table or result list. Property
 *                     {@code eplua.maxTable}.
 * @param maxTasks     the most tasks alive at once; {@code spawn} past it raises. Property {@code eplua.maxTasks}.
 */
public record Budgets(long instructions, long evalMillis, long maxString, int maxTable, int maxTasks) {
    /** The largest byte[] a JVM reliably allocates. */
    public static final long ARRAY_MAX = Integer.MAX_VALUE - 8;

    /** The defaults of a profile: generous when trusted, tight in the sandbox. */
    public static Budgets defaults(Profile p, int taskCap) {
        return p == Profile.SANDBOX
                ? new Budgets(20_000_000L, 10_000L, 16L << 20, 1_000_000, Math.min(1000, taskCap))
                : new Budgets(Long.MAX_VALUE, 0, 256L << 20, 1 << 26, taskCap);
    }

    /** {@code c}'s values where it has them, else the system properties', else {@code defaults}. */
    public static Budgets resolve(ContainConfig c, Budgets defaults) {
        long instructions = c.maxInstructions() != null ? c.maxInstructions()
                : Long.getLong("eplua.maxInstructions", defaults.instructions);
        long eval = c.evalTimeout() != null ? c.evalTimeout().toMillis()
                : Long.getLong("eplua.maxEvalTime", defaults.evalMillis);
        long str = c.maxString() != null ? c.maxString() : Long.getLong("eplua.maxString", defaults.maxString);
        int table = c.maxTable() != null ? c.maxTable() : Integer.getInteger("eplua.maxTable", defaults.maxTable);
        int tasks = c.maxTasks() != null ? c.maxTasks() : Integer.getInteger("eplua.maxTasks", defaults.maxTasks);
        return new Budgets(instructions <= 0 ? Long.MAX_VALUE : instructions, Math.max(0, eval),
                str <= 0 ? defaults.maxString : Math.min(str, ARRAY_MAX), table <= 0 ? defaults.maxTable : table,
                tasks <= 0 ? defaults.maxTasks : tasks);
    }

    /** The wall-clock budget of a host's call, or null. */
    public Duration evalTimeout() {
        return evalMillis > 0 ? Duration.ofMillis(evalMillis) : null;
    }
}
