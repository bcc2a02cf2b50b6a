package eplua.core.internal.metrics;

import eplua.core.EngineMetrics;
import eplua.core.FiberMode;
import eplua.core.LuaScriptException;
import eplua.core.internal.loop.EngineLoop;
import io.netty.channel.EventLoop;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.CallStacks;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One engine's meter. The Lua thread counts turns (a task start or resumption) and times each with two
 * {@code nanoTime()} calls (one for each callback after the first of a batch: it begins where the last ended), in
 * plain fields; the loop's 100 ms probe ({@link LoopProbe}, one per loop for all its
 * engines) measures its lateness (loop lag) and samples the counters into rings that cover the last {@value #WINDOW} probes. Snapshots read all of it racily from
 * any thread: figures may be a probe apart, never wrong by more. {@code -Deplua.metrics=false} turns the counting off
 * (to measure what it costs).
 */
public final class Meter {
    /** Counting on (default); read once, so the JIT drops the hooks when off. */
    public static final boolean ON = !"false".equals(System.getProperty("eplua.metrics"));
    static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int WINDOW = 100; // probes: 10 s
    /** A turn longer than this is a JFR "eplua.SlowCallback" event (when a recording wants it). */
    static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("eplua.slowCallbackMillis", 50));

    private final String engine;
    private final FiberMode mode;
    private final EventLoop loop;
    private final Globals globals;
    private final boolean debug;
    private final IntSupplier suspended;
    private final IntSupplier timers;
    private final Supplier<Map<String, Integer>> resources;
    private final Consumer<LuaScriptException> report;

    // ---- written by the Lua thread (whoever holds the baton) -----------------------------------------------------
    /** When the running turn started (nanoTime), 0 between turns: plain, read racily by the watchdog. */
    long turnStart;
    /** When the last turn ended (nanoTime; 0: none yet): where a chained turn begins. */
    private long lastEnd;
    /** Turns begun so far: also the id of the running turn. */
    long turns;
    /** The function of the running turn (a task's function). */
    LuaValue turnFn;
    long tasksSpawned;
    long tasksStarted;
    long tasksFinished;
    private long intervalMax;
    private LuaValue intervalMaxFn;

    // ---- written by the loop's probe ---------------------------------------------------------------------------
    private final long[] lagRing = new long[WINDOW];
    private final long[] timeRing = new long[WINDOW];
    private final long[] turnsRing = new long[WINDOW];
    private final long[] startedRing = new long[WINDOW];
    private final long[] maxRing = new long[WINDOW];
    private final LuaValue[] maxFnRing = new LuaValue[WINDOW];
    private volatile long probes;
    private LoopProbe probe;
    private long countedStarted, countedFinished; // as of the last TaskCounts event
    private final long startedAt = System.nanoTime();

    // ---- blocked-loop watchdog ---------------------------------------------------------------------------------
    volatile long blockedNanos;
    long warnedTurn = -1;
    private volatile long blockedWarnings;
    private volatile boolean closed;
    private EngineBean bean;

    /**
     * A meter for engine {@code engine}; {@code report} takes blocked-loop warnings (the engine's error handler).
     * {@code debug}: the engine has the debug library (Lua tracebacks of a blocked loop).
     */
    public Meter(String engine, FiberMode mode, EventLoop loop, Globals globals, boolean debug, IntSupplier suspended,
                 IntSupplier timers, Supplier<Map<String, Integer>> resources, Consumer<LuaScriptException> report) {
        this.engine = engine;
        this.mode = mode;
        this.loop = loop;
        this.globals = globals;
        this.debug = debug;
        this.suspended = suspended;
        this.timers = timers;
        this.resources = resources;
        this.report = report;
        this.blockedNanos = Watchdog.defaultThresholdNanos();
    }

    /** Starts the probe, the watchdog's watch and the JMX bean. */
    public void start() {
        if (!ON) return;
        if (recording()) Events.prepare(); // now, not in the middle of the first slow callback
        probe = LoopProbe.of(loop);
        probe.add(this);
        Watchdog.watch(this);
        bean = EngineBean.register(this);
    }

    /** The engine is closing: the probe stops, the watchdog forgets it, the JMX bean goes. Idempotent; any thread. */
    public void close() {
        if (closed) return;
        closed = true;
        if (probe != null) probe.remove(this);
        Watchdog.unwatch(this);
        // the counts since the last per-second event (a short script may have no other); read racily
        if (ON && recording()) Events.taskCounts(engine, tasksStarted - countedStarted, tasksFinished - countedFinished,
                Math.max(0, tasksSpawned - tasksFinished), suspended.getAsInt());
        EngineBean b = bean;
        if (b != null) b.unregister();
    }

    public String engine() {
        return engine;
    }

    /** How long a turn may hold the loop before it is reported (0 or less: never). */
    public void blockedThreshold(long nanos) {
        blockedNanos = nanos;
    }

    // ---- hooks of the Lua thread (never called with -Deplua.metrics=false: see Scheduler.meter) ------------------

    /** A task was created (spawned, or run by a Java caller). */
    public void spawned() {
        tasksSpawned++;
    }

    /**
     * A task starts running its function: a turn begins. {@code chained}: right after another turn on the same thread
     * (a batch of callbacks), so it begins when that one ended, which saves a clock read per callback.
     */
    public void started(LuaValue fn, boolean chained) {
        tasksStarted++;
        long end = lastEnd;
        if (!chained || end == 0) {
            resumed(fn);
            return;
        }
        turnFn = fn;
        turns++;
        turnStart = end;
    }

    /** A suspended task goes on: a turn begins. */
    public void resumed(LuaValue fn) {
        turnFn = fn;
        turns++;
        turnStart = System.nanoTime();
    }

    /** How long the running turn has been running (racy read; 0 between turns). Any thread. */
    public long runningTurnNanos() {
        long s = turnStart;
        return s == 0 ? 0 : System.nanoTime() - s;
    }

    /** The running turn ends (its task suspended or finished). */
    public void paused() {
        long s = turnStart;
        if (s == 0) return;
        turnStart = 0;
        long now = System.nanoTime();
        lastEnd = now;
        long d = now - s;
        if (d > intervalMax) {
            intervalMax = d;
            intervalMaxFn = turnFn;
        }
        if (d > SLOW_NANOS && recording()) Events.slowCallback(engine, d, where(turnFn));
    }

    /** A task ended (finished, failed, cancelled, or its timer was cleared before it started). */
    public void finished() {
        tasksFinished++;
    }

    /**
     * True once the JVM's flight recorder is up (a recording started, or -XX:StartFlightRecording). Until then
     * eplua's event classes stay unloaded: the first use of any JFR event class costs a JVM 0.2-0.6 s.
     */
    private static boolean recording() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    // ---- the probe (loop thread) -------------------------------------------------------------------------------

    /** The loop's probe ran {@code lag} late at {@code now}: one sample for the rings. Loop thread. */
    void probe(long now, long lag) {
        if (closed) return;
        long n = probes;
        int i = (int) (n % WINDOW);
        lagRing[i] = lag;
        timeRing[i] = now;
        turnsRing[i] = turns;
        startedRing[i] = tasksStarted;
        maxRing[i] = intervalMax;
        maxFnRing[i] = intervalMaxFn;
        probes = n + 1; // before the interval's maximum is cleared: a snapshot then sees it in one place or the other
        intervalMax = 0;
        intervalMaxFn = null;
        if (recording()) Events.loopLag(engine, lag);
        if (n % 10 == 9 && recording()) { // every second
            long started = tasksStarted, ended = tasksFinished;
            Events.taskCounts(engine, started - countedStarted, ended - countedFinished, tasksSpawned - ended,
                    suspended.getAsInt());
            countedStarted = started;
            countedFinished = ended;
        }
    }

    // ---- the watchdog (its own thread) -------------------------------------------------------------------------

    /** Called every watchdog tick: reports the running turn once if it has held the loop too long. */
    void check(long now) {
        long limit = blockedNanos;
        if (limit <= 0 || closed) return;
        long id = turns;
        long s = turnStart;
        if (s == 0 || now - s < limit || warnedTurn == id || id != turns) return;
        warnedTurn = id;
        blockedWarnings++;
        String traceback = debug ? CallStacks.traceback(globals.running) : null;
        String where = where(turnFn);
        int others = enginesOnLoop() - 1;
        String msg = String.format("blocked loop: a callback has held the loop of engine %s for %d ms (limit %d ms)%s%s",
                engine, TimeUnit.NANOSECONDS.toMillis(now - s), TimeUnit.NANOSECONDS.toMillis(limit),
                where != null ? "; its function is defined at " + where : "",
                others > 0 ? "; " + others + " other engine" + (others == 1 ? "" : "s") + " on loop " + loopName()
                        + " wait" + (others == 1 ? "s" : "") : "");
        Logs.METRICS.log(System.Logger.Level.DEBUG, msg); // DEBUG: the error handler has it (by default on stderr)
        report.accept(new LuaScriptException(msg, null, traceback, null, -1, null));
    }

    // ---- snapshots (any thread) --------------------------------------------------------------------------------

    public EngineMetrics snapshot() {
        long pending = intervalMax; // read first: a probe moving it into the rings meanwhile leaves it there
        LuaValue pendingFn = intervalMaxFn;
        long n = probes;
        int have = (int) Math.min(n, WINDOW);
        long[] lags = new long[have];
        long maxTurn = 0;
        LuaValue maxFn = null;
        for (int k = 0; k < have; k++) {
            int i = (int) ((n - 1 - k) % WINDOW);
            lags[k] = lagRing[i];
            if (maxRing[i] > maxTurn) {
                maxTurn = maxRing[i];
                maxFn = maxFnRing[i];
            }
        }
        if (pending > maxTurn) { // the turns since the last probe count too
            maxTurn = pending;
            maxFn = pendingFn;
        }
        Arrays.sort(lags);
        long now = System.nanoTime();
        double seconds;
        double perSecTurns;
        double perSecTasks;
        if (have == 0) {
            seconds = Math.max(1e-9, (now - startedAt) / 1e9);
            perSecTurns = turns / seconds;
            perSecTasks = tasksStarted / seconds;
        } else {
            int oldest = (int) ((n - have) % WINDOW);
            // from the oldest probe in the window (or the start) to now
            long from = have < WINDOW ? startedAt : timeRing[oldest];
            long turnsFrom = have < WINDOW ? 0 : turnsRing[oldest];
            long startedFrom = have < WINDOW ? 0 : startedRing[oldest];
            seconds = Math.max(1e-9, (now - from) / 1e9);
            perSecTurns = (turns - turnsFrom) / seconds;
            perSecTasks = (tasksStarted - startedFrom) / seconds;
        }
        long alive = Math.max(0, tasksSpawned - tasksFinished);
        return new EngineMetrics(engine, mode, seconds, ms(percentile(lags, 0.50)), ms(percentile(lags, 0.99)),
                ms(have == 0 ? 0 : lags[have - 1]), perSecTurns, perSecTasks, turns, tasksStarted, alive,
                Math.max(0, suspended.getAsInt()), Math.max(0, timers.getAsInt()), resources.get(), ms(maxTurn),
                where(maxFn), blockedWarnings, loopName(), enginesOnLoop());
    }

    private String loopName() {
        return loop instanceof EngineLoop ? ((EngineLoop) loop).thread().getName() : String.valueOf(loop);
    }

    private int enginesOnLoop() {
        return loop instanceof EngineLoop ? ((EngineLoop) loop).engines() : 1;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** {@code chunk:line} where a Lua function was defined ({@code chunk (main chunk)}), or null for Java functions. */
    static String where(LuaValue fn) {
        if (!(fn instanceof LuaClosure)) return null;
        org.luaj.vm2.Prototype p = ((LuaClosure) fn).p;
        String src = p.source != null ? p.source.tojstring() : "?";
        if (src.startsWith("@") || src.startsWith("=")) src = src.substring(1);
        return p.linedefined == 0 ? src + " (main chunk)" : src + ":" + p.linedefined;
    }
}
