package eplua.core.internal.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import java.util.function.Supplier;

/**
 * eplua's JDK Flight Recorder events. Each is made only when a recording has it enabled, so with no recording they
 * cost one check each.
 */
final class Events {
    private Events() {}

    private static final SlowCallback SLOW = new SlowCallback();
    private static final LoopLag LAG = new LoopLag();
    private static final TaskCounts COUNTS = new TaskCounts();

    static {
        // registered now, not at a first commit: a type registered at its first commit may miss that event
        jdk.jfr.FlightRecorder.register(SlowCallback.class);
        jdk.jfr.FlightRecorder.register(LoopLag.class);
        jdk.jfr.FlightRecorder.register(TaskCounts.class);
    }

    /** Loads and registers the event types (slow: the first JFR event class costs a JVM 0.2-0.6 s). */
    static void prepare() {
        // the static initializer does it
    }

    static void slowCallback(String engine, long nanos, String where) {
        SlowCallback e = start(SLOW, SlowCallback::new, engine);
        if (e == null) return;
        e.held = nanos;
        e.where = where;
        e.commit();
    }

    static void loopLag(String engine, long lagNanos) {
        LoopLag e = start(LAG, LoopLag::new, engine);
        if (e == null) return;
        e.lag = lagNanos;
        e.commit();
    }

    static void taskCounts(String engine, long started, long finished, long alive, int suspended) {
        TaskCounts e = start(COUNTS, TaskCounts::new, engine);
        if (e == null) return;
        e.started = started;
        e.finished = finished;
        e.alive = alive;
        e.suspended = suspended;
        e.commit();
    }

    /** A new event of {@code engine} when a recording wants one of probe's type, else null (and none is made). */
    private static <E extends EngineEvent> E start(E probe, Supplier<E> make, String engine) {
        if (!probe.isEnabled()) return null;
        E e = make.get();
        if (!e.shouldCommit()) return null;
        e.engine = engine;
        return e;
    }

    /** What every eplua event names: the engine it happened in. */
    abstract static class EngineEvent extends Event {
        @Label("Engine")
        String engine;
    }

    @Name("eplua.SlowCallback")
    @Label("Slow Lua Callback")
    @Category({"eplua", "Loop"})
    @Description("A Lua turn (a task start or resumption) that held the engine's loop longer than the threshold "
            + "(-Deplua.slowCallbackMillis, default 50)")
    @StackTrace(false)
    static final class SlowCallback extends EngineEvent {
        @Label("Held The Loop For")
        @Timespan(Timespan.NANOSECONDS)
        long held;
        @Label("Function Defined At")
        @Description("chunk:line of the task's Lua function")
        String where;
    }

    @Name("eplua.LoopLag")
    @Label("Loop Lag")
    @Category({"eplua", "Loop"})
    @Description("How late the engine's 100 ms probe ran: how long work waits for the loop")
    @StackTrace(false)
    static final class LoopLag extends EngineEvent {
        @Label("Lag")
        @Timespan(Timespan.NANOSECONDS)
        long lag;
    }

    @Name("eplua.TaskCounts")
    @Label("Task Counts")
    @Category({"eplua", "Tasks"})
    @Description("Tasks started and finished in the last second, and alive and suspended now")
    @StackTrace(false)
    static final class TaskCounts extends EngineEvent {
        @Label("Started")
        long started;
        @Label("Finished")
        long finished;
        @Label("Alive")
        long alive;
        @Label("Suspended")
        int suspended;
    }
}
