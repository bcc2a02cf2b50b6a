package eplua.core.internal.metrics;

import eplua.core.EngineMetrics;
import org.luaj.vm2.LuaTable;

/** An {@link EngineMetrics} as the Lua table {@code eplua.metrics()} returns (snake_case keys, times in ms). */
public final class MetricsTable {
    private MetricsTable() {}

    public static LuaTable of(EngineMetrics m) {
        LuaTable t = new LuaTable();
        t.set("engine", m.engine());
        t.set("fiber_mode", m.fiberMode().name().toLowerCase(java.util.Locale.ROOT));
        t.set("window_seconds", m.windowSeconds());
        LuaTable lag = new LuaTable();
        lag.set("p50", m.lagP50Millis());
        lag.set("p99", m.lagP99Millis());
        lag.set("max", m.lagMaxMillis());
        t.set("lag_ms", lag);
        t.set("callbacks_per_second", m.callbacksPerSecond());
        t.set("tasks_per_second", m.tasksPerSecond());
        t.set("callbacks_run", m.callbacksRun());
        t.set("tasks_started", m.tasksStarted());
        t.set("tasks_alive", m.tasksAlive());
        t.set("tasks_suspended", m.tasksSuspended());
        t.set("timers_pending", m.timersPending());
        LuaTable res = new LuaTable();
        m.resources().forEach((k, v) -> res.set(k, v));
        t.set("resources", res);
        LuaTable longest = new LuaTable();
        longest.set("ms", m.longestCallbackMillis());
        if (m.longestCallbackWhere() != null) longest.set("where", m.longestCallbackWhere());
        t.set("longest_callback", longest);
        t.set("blocked_loop_warnings", m.blockedLoopWarnings());
        t.set("loop", m.loop());
        t.set("engines_on_loop", m.enginesOnLoop());
        return t;
    }

}
