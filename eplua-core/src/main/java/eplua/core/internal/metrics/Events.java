package eplua.core.internal.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

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
        if (!SLOW.isEnabled()) return;
        SlowCallback e = new SlowCallback();
        if (!e.shouldCommit()) return;
        e.engine = engine;
        e.held = nanos;
        e.where = where;
        e.commit();
    }

    static void loopLag(String engine, long lagNanos) {
        if (!LAG.isEnabled()) return;
        LoopLag e = new LoopLag();
        if (!e.shouldCommit()) return;
        e.engine = engine;
        e.lag = lagNanos;
        e.commit();
    }

    static void taskCounts(String engine, long started, long finished, long alive, int suspended) {
        if (!COUNTS.isEnabled()) return;
        TaskCounts e = new TaskCounts();
        if (!e.shouldCommit()) return;
        e.engine = engine;
        e.started = started;
        e.finished = finished;
        e.alive = alive;
        e.suspended = suspended;
        e.commit();
    }

    @Name("eplua.SlowCallback")
    @Label("Slow Lua Callback")
    @Category({"eplua", "Loop"})
    @Description("A Lua turn (a task start or resumption) that held the engine's loop longer than the threshold "
            + "(-Deplua.slowCallbackMillis, default 50)")
    @StackTrace(false)
    static final class SlowCallback extends Event {
        @Label("Engine")
        String engine;
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
    static final class LoopLag extends Event {
        @Label("Engine")
        String engine;
        @Label("Lag")
        @Timespan(Timespan.NANOSECONDS)
        long lag;
    }

    @Name("eplua.TaskCounts")
    @Label("Task Counts")
    @Category({"eplua", "Tasks"})
    @Description("Tasks started and finished in the last second, and alive and suspended now")
    @StackTrace(false)
    static final class TaskCounts extends Event {
        @Label("Engine")
        String engine;
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
