package eplua.core.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What keeps the JVM running while any engine is alive, as Node's ref count does: one non-daemon thread for the whole
 * JVM, started when the first engine becomes alive, ending once none is (loop threads are daemons). It looks at the
 * engines it holds every {@value #POLL_MS} ms, so the JVM exits that long after the last engine went idle at most.
 */
final class KeepAlive {
    private static final long POLL_MS = 20;
    private static final Set<Liveness> HELD = ConcurrentHashMap.newKeySet();
    private static Thread keeper; // guarded by KeepAlive.class

    private KeepAlive() {}

    /** {@code l} became alive: hold the JVM for it. Any thread. */
    static void hold(Liveness l) {
        l.held = true;
        HELD.add(l);
        synchronized (KeepAlive.class) {
            if (keeper != null) return;
            Thread k = new Thread(KeepAlive::run, "eplua-keepalive");
            k.setDaemon(false);
            keeper = k;
            k.start();
        }
    }

    /** Engines alive now (tests, metrics). */
    static int held() {
        return HELD.size();
    }

    private static void run() {
        try {
            while (true) {
                Thread.sleep(POLL_MS);
                for (Liveness l : HELD) {
                    if (l.isAlive()) continue;
                    // let go, then look again: an engine that became alive meanwhile either saw held=false and holds
                    // itself again, or is seen alive here (both volatile: one of the two sees the other's write)
                    l.held = false;
                    if (l.isAlive()) l.held = true;
                    else HELD.remove(l);
                }
                synchronized (KeepAlive.class) {
                    if (HELD.isEmpty()) {
                        keeper = null;
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            synchronized (KeepAlive.class) {
                keeper = null; // the JVM is going down
            }
        }
    }
}
