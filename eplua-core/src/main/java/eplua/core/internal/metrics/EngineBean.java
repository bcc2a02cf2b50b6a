package eplua.core.internal.metrics;

import eplua.core.EngineMetrics;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JMX face of a {@link Meter}, registered in the platform MBean server while its engine is open. Registration
 * waits {@value #DELAY_MS} ms, on a daemon thread: starting the platform MBean server costs a JVM 60-250 ms, which
 * engines that live a moment (a command-line script) should not pay; close unregisters at once.
 */
final class EngineBean implements EngineMXBean {
    static final long DELAY_MS = 1000;
    private final Meter meter;
    private ObjectName name; // guarded by this
    private boolean closed; // guarded by this
    private volatile Future<?> pending;

    /** One daemon thread for all engines' registrations, made on first use; it ends when idle. */
    private static final class Jmx {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "eplua-jmx");
            t.setDaemon(true);
            // a script filling the heap may starve this thread too: the pool makes a new one, nothing to print
            t.setUncaughtExceptionHandler((th, e) -> {
                if (!(e instanceof OutOfMemoryError))
                    Logs.METRICS.log(System.Logger.Level.WARNING, "eplua: JMX registrar failed", e);
            });
            return t;
        });

        static {
            EXECUTOR.setKeepAliveTime(10, TimeUnit.SECONDS);
            EXECUTOR.allowCoreThreadTimeOut(true);
            EXECUTOR.setRemoveOnCancelPolicy(true);
        }
    }

    private EngineBean(Meter meter) {
        this.meter = meter;
    }

    /**
     * Registers {@code eplua:type=Engine,name=<engine>} soon; an engine whose name is taken by another open engine
     * gets {@code ,instance=2}, 3...
     */
    static EngineBean register(Meter meter) {
        EngineBean b = new EngineBean(meter);
        b.pending = Jmx.EXECUTOR.schedule(b::registerNow, DELAY_MS, TimeUnit.MILLISECONDS);
        return b;
    }

    private void registerNow() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer(); // the slow part, outside the lock
            String base = "eplua:type=Engine,name=" + value(meter.engine());
            synchronized (this) {
                for (int i = 1; !closed; i++) {
                    ObjectName n = new ObjectName(i == 1 ? base : base + ",instance=" + i);
                    try {
                        server.registerMBean(this, n);
                        name = n;
                        return;
                    } catch (InstanceAlreadyExistsException e) {
                        // another engine has this name: try the next instance number
                    }
                }
            }
        } catch (JMException | RuntimeException e) {
            Logs.METRICS.log(System.Logger.Level.WARNING, "eplua: no JMX bean for engine " + meter.engine(), e);
        }
    }

    /** An ObjectName value: as it is, or quoted when it holds characters JMX reserves. */
    static String value(String s) {
        return s.isEmpty() || s.matches(".*[,=:\"*?\\\n].*") ? ObjectName.quote(s) : s;
    }

    /** The name it is registered under, or null (not yet, or closed). */
    synchronized ObjectName name() {
        return name;
    }

    /** Unregisters now (or cancels the registration to come). */
    void unregister() {
        Future<?> f = pending;
        if (f != null) f.cancel(false);
        synchronized (this) {
            closed = true;
            if (name == null) return;
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                // gone already
            }
            name = null;
        }
    }

    private EngineMetrics m() {
        return meter.snapshot();
    }

    @Override public String getEngine() { return meter.engine(); }
    @Override public String getFiberMode() { return m().fiberMode().name(); }
    @Override public String getLoop() { return m().loop(); }
    @Override public int getEnginesOnLoop() { return m().enginesOnLoop(); }
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
