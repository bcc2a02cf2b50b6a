package eplua.core.internal.task;

import eplua.core.internal.contain.Budgets;
import org.luaj.vm2.LuaError;

/**
 * One engine's watch over the Lua it runs: the stop of {@code close()} and the budgets. The debug hook counts
 * every Lua instruction and long-running library functions report their work with
 * {@link #work(int)}; both only count down a field, and every {@value #STEP} units look at what may have changed: the
 * engine closing (the Lua stack unwinds), the running task's instructions or wall-clock running out (a catchable
 * {@code "budget: ..."} error, and if the task goes on regardless, an uncatchable one that ends it).
 *
 * <p>Library functions shared by every engine of the JVM (the string methods) find the engine they run for with
 * {@link #current()}: each thread that carries an engine's Lua (its loop thread, its fibers, a host thread running
 * its own call) is bound to the engine's guard. The counters are touched only by the baton holder.
 */
public final class Guard {
    /** Units of work between two looks at the flags and the clock. */
    static final int STEP = 1024;
    /** What a task may still run after a catchable budget error, to clean up. */
    private static final long GRACE_INSTRUCTIONS = 100_000;
    private static final long GRACE_NANOS = 1_000_000_000L;
    private static final long UNLIMITED = Long.MAX_VALUE / 4;
    private static final ThreadLocal<Guard> CURRENT = new ThreadLocal<>();
    /** Some engine of this JVM was sandboxed once: only then is the calling thread's guard worth looking up. */
    private static volatile boolean anySandbox;
    /** For Lua run on a thread of no engine: never stopped, default limits. */
    private static final Guard NONE = new Guard(Budgets.resolve(eplua.core.internal.contain.ContainConfig.DEFAULT,
            Budgets.defaults(eplua.core.Profile.TRUSTED, Integer.MAX_VALUE)));

    private volatile boolean interrupted;
    /** The thread of the loop the engine is on (engines of one loop take turns: see {@code Baton}). */
    private volatile Thread loopThread;
    private volatile Budgets budgets;
    private volatile boolean sandboxed;
    /** Units left before the next look; below zero: look now. */
    int countdown;
    /** Units of the slice left after the current countdown. */
    private long left = UNLIMITED;
    /** The running task (null: Lua outside a task) and its deadline (System.nanoTime; 0: none). */
    private LuaTask task;
    private long deadline;
    /** This slice raised its catchable instructions error already. */
    private boolean warned;
    /** What {@code getmetatable("")} is in this engine (LuaJ has one string metatable per JVM). */
    private volatile org.luaj.vm2.LuaTable stringMeta;

    public Guard(Budgets budgets) {
        this.budgets = budgets;
    }

    /** The guard of the engine whose Lua the calling thread carries, or a guard that never stops anything. */
    public static Guard current() {
        Guard g = CURRENT.get();
        return g != null ? g : NONE;
    }

    /** Binds the calling thread to this engine (its loop thread, one of its fibers). */
    public void bind() {
        CURRENT.set(this);
    }

    /** Binds the calling thread for a while; returns what to {@link #restore}. */
    public Guard enter() {
        Guard previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    public static void restore(Guard previous) {
        if (previous == null) CURRENT.remove();
        else CURRENT.set(previous);
    }

    /** The engine is on the loop whose thread is {@code t}. */
    void onLoop(Thread t) {
        loopThread = t;
    }

    /** The thread of the loop this guard's engine is on (null for the guard of no engine). */
    Thread loopThread() {
        return loopThread;
    }

    public Budgets budgets() {
        return budgets;
    }

    /** New budgets (a trusted engine restricted to the sandbox before its first script). */
    public void budgets(Budgets b) {
        budgets = b;
    }

    /** This engine's string metatable, or null (no engine). */
    public org.luaj.vm2.LuaTable stringMeta() {
        return stringMeta;
    }

    public void stringMeta(org.luaj.vm2.LuaTable meta) {
        stringMeta = meta;
    }

    /** True when host objects show sandboxed scripts only their safe members. */
    public boolean sandboxed() {
        return sandboxed;
    }

    public void sandboxed(boolean on) {
        if (on) anySandbox = true;
        sandboxed = on;
    }

    /** True once any engine of this JVM was sandboxed. */
    public static boolean anySandbox() {
        return anySandbox;
    }

    /** Stops all Lua of this engine at its next look (engine close): the running stack unwinds. Any thread. */
    public void interrupt() {
        interrupted = true;
        countdown = -1; // a hint: the owner may not see it before its next look
    }

    /**
     * {@code units} of work done by a library function (about one per step of a loop): counted against the
     * instructions budget; the engine closing or a budget running out raise here. Baton holder.
     */
    public void work(int units) {
        countdown -= units;
        if (countdown < 0) checkpoint();
    }

    /** A slice of {@code t} (null: Lua outside any task) begins: its budget is full again. Baton holder. */
    void newSlice(LuaTask t) {
        task = t;
        deadline = t != null ? t.deadline : 0;
        warned = false;
        long b = budgets.instructions();
        left = b >= UNLIMITED ? UNLIMITED : b;
        countdown = 0;
    }

    /** The look every {@value #STEP} units: the countdown ran out. */
    void checkpoint() {
        if (interrupted) throw new Unwind(true);
        if (this == NONE) {
            countdown = STEP;
            return;
        }
        long d = deadline;
        if (d != 0 && System.nanoTime() - d > 0) timeUp();
        left += countdown; // what the last look gave and was not used (never more), or the overshoot
        if (left <= 0) outOfInstructions();
        int step = (int) Math.min(STEP, left);
        left -= step;
        countdown = step;
    }

    private void outOfInstructions() {
        String m = "budget: instructions (more than " + budgets.instructions()
                + " without suspending; Engine.Builder.maxInstructions, -Deplua.maxInstructions)";
        if (warned) throw new Unwind(new LuaError(m)); // it went on anyway: the task ends
        warned = true;
        left = GRACE_INSTRUCTIONS;
        countdown = 0;
        throw new LuaError(m);
    }

    private void timeUp() {
        LuaTask t = task;
        Object why = t != null ? timeUpFor(t, budgets) : new Unwind(new LuaError(timeMessage(budgets)));
        if (t != null) deadline = t.deadline;
        countdown = 0;
        if (why instanceof Unwind) throw (Unwind) why;
        throw (LuaError) why;
    }

    /**
     * What a task past its wall-clock deadline meets: the catchable error the first time (and a second of grace),
     * then an {@link Unwind} that ends it.
     */
    static Object timeUpFor(LuaTask t, Budgets b) {
        LuaError e = new LuaError(timeMessage(b));
        if (t.timeWarned) return new Unwind(e);
        t.timeWarned = true;
        t.deadline = System.nanoTime() + GRACE_NANOS;
        return e;
    }

    private static String timeMessage(Budgets b) {
        return "budget: time (a host's call ran more than " + b.evalMillis()
                + " ms; Engine.Builder.evalTimeout, -Deplua.maxEvalTime)";
    }
}
