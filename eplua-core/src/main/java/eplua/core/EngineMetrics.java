package eplua.core;

import java.util.Map;

/**
 * A snapshot of an engine's metrics ({@link Engine#metrics()}). Rates, lag and the longest callback cover a recent
 * window (the last {@code windowSeconds}); counts are as of the snapshot. Read without stopping the engine, so the
 * figures may be a few microseconds apart from each other.
 *
 * @param engine               the engine's name
 * @param fiberMode            which threads carry its tasks
 * @param windowSeconds        the time the rates, lag and longest callback cover (up to 10 s)
 * @param lagP50Millis         median lateness of the loop's own 100 ms probe: how long work waits for the loop
 * @param lagP99Millis         99th percentile of the same
 * @param lagMaxMillis         the largest of the same
 * @param callbacksPerSecond   Lua turns per second: every task start or resumption (a timer or I/O callback is one)
 * @param tasksPerSecond       tasks started per second
 * @param callbacksRun         Lua turns since the engine started
 * @param tasksStarted         tasks started since the engine started
 * @param tasksAlive           tasks spawned and not finished (queued, running or suspended)
 * @param tasksSuspended       tasks waiting at a suspension point (await, sleep, I/O)
 * @param timersPending        timeouts and intervals not yet fired or cleared
 * @param resources            open resources (sockets, servers, clients, ...) by kind
 * @param longestCallbackMillis the longest Lua turn in the window
 * @param longestCallbackWhere where its function was defined ({@code chunk:line}), or null
 * @param blockedLoopWarnings  how many times a callback held the loop past the blocked-loop threshold
 * @param loop                 the thread of the loop the engine is on (see {@link LoopGroup})
 * @param enginesOnLoop        how many engines share that loop now (this one included): a slow callback of one
 *                             shows as lag in the others
 */
public record EngineMetrics(String engine, FiberMode fiberMode, double windowSeconds, double lagP50Millis,
                            double lagP99Millis, double lagMaxMillis, double callbacksPerSecond,
                            double tasksPerSecond, long callbacksRun, long tasksStarted, long tasksAlive,
                            long tasksSuspended, long timersPending, Map<String, Integer> resources,
                            double longestCallbackMillis, String longestCallbackWhere, long blockedLoopWarnings,
                            String loop, int enginesOnLoop) {
    public EngineMetrics {
        resources = Map.copyOf(resources);
    }
}
