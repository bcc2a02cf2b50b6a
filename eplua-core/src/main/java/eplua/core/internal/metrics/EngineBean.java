package eplua.core.internal.metrics;

import eplua.core.EngineMetrics;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;

/** The JMX face of a {@link Meter}, registered in the platform MBean server while its engine is open. */
final class EngineBean implements EngineMXBean {
    private final Meter meter;
    private volatile ObjectName name;

    private EngineBean(Meter meter) {
        this.meter = meter;
    }

    /**
     * Registers {@code eplua:type=Engine,name=<engine>}; an engine whose name is taken by another open engine gets
     * {@code ,instance=2}, 3... Null if JMX refuses (logged).
     */
    static EngineBean register(Meter meter) {
        EngineBean b = new EngineBean(meter);
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String base = "eplua:type=Engine,name=" + value(meter.engine());
            for (int i = 1; ; i++) {
                ObjectName n = new ObjectName(i == 1 ? base : base + ",instance=" + i);
                try {
                    server.registerMBean(b, n);
                    b.name = n;
                    return b;
                } catch (InstanceAlreadyExistsException e) {
                    // another engine has this name: try the next instance number
                }
            }
        } catch (JMException | RuntimeException e) {
            Logs.METRICS.log(System.Logger.Level.WARNING, "eplua: no JMX bean for engine " + meter.engine(), e);
            return null;
        }
    }

    /** An ObjectName value: as it is, or quoted when it holds characters JMX reserves. */
    static String value(String s) {
        return s.isEmpty() || s.matches(".*[,=:\"*?\\\n].*") ? ObjectName.quote(s) : s;
    }

    /** The name it was registered under. */
    ObjectName name() {
        return name;
    }

    void unregister() {
        ObjectName n = name;
        if (n == null) return;
        name = null;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(n);
        } catch (JMException e) {
            // gone already
        }
    }

    private EngineMetrics m() {
        return meter.snapshot();
    }

    @Override public String getEngine() { return meter.engine(); }
    @Override public String getFiberMode() { return m().fiberMode().name(); }
    @Override public double getWindowSeconds() { return m().windowSeconds(); }
    @Override public double getLagP50Millis() { return m().lagP50Millis(); }
    @Override public double getLagP99Millis() { return m().lagP99Millis(); }
    @Override public double getLagMaxMillis() { return m().lagMaxMillis(); }
    @Override public double getCallbacksPerSecond() { return m().callbacksPerSecond(); }
    @Override public double getTasksPerSecond() { return m().tasksPerSecond(); }
    @Override public long getCallbacksRun() { return m().callbacksRun(); }
    @Override public long getTasksStarted() { return m().tasksStarted(); }
    @Override public long getTasksAlive() { return m().tasksAlive(); }
    @Override public long getTasksSuspended() { return m().tasksSuspended(); }
    @Override public long getTimersPending() { return m().timersPending(); }
    @Override public Map<String, Integer> getResources() { return m().resources(); }
    @Override public double getLongestCallbackMillis() { return m().longestCallbackMillis(); }
    @Override public String getLongestCallbackWhere() { return m().longestCallbackWhere(); }
    @Override public long getBlockedLoopWarnings() { return m().blockedLoopWarnings(); }
}
