package eplua.core.internal.metrics;

import java.util.Map;

/**
 * An engine's metrics over JMX, as {@code eplua:type=Engine,name=<engine name>}; see {@link eplua.core.EngineMetrics}
 * for what each attribute means. Every read takes a fresh snapshot.
 */
public interface EngineMXBean {
    String getEngine();

    String getFiberMode();

    String getLoop();

    int getEnginesOnLoop();

    double getWindowSeconds();

    double getLagP50Millis();

    double getLagP99Millis();

    double getLagMaxMillis();

    double getCallbacksPerSecond();

    double getTasksPerSecond();

    long getCallbacksRun();

    long getTasksStarted();

    long getTasksAlive();

    long getTasksSuspended();

    long getTimersPending();

    Map<String, Integer> getResources();

    double getLongestCallbackMillis();

    String getLongestCallbackWhere();

    long getBlockedLoopWarnings();
}
