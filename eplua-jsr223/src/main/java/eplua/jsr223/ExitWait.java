package eplua.jsr223;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Keeps {@code jrunscript} running while an engine is alive, as Node does. jrunscript ends with
 * {@code System.exit(0)} right after the script, so the engine's non-daemon keep-alive thread cannot help: a shutdown
 * hook waits until every registered engine is idle, then closes it. SIGINT and SIGTERM close the engines first, so
 * Ctrl-C and {@code kill} still stop a script with a pending {@code setInterval}.
 *
 * <p>On by default only under jrunscript ({@code sun.java.command} is its main class); {@code -Deplua.waitOnExit=true}
 * turns it on for other hosts that end with {@code System.exit}, {@code false} turns it off.
 */
final class ExitWait {
    private ExitWait() {}

    private static final Set<EpluaScriptEngine> ENGINES = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private static boolean installed; // guarded by ENGINES

    static boolean enabled() {
        String p = System.getProperty("eplua.waitOnExit");
        if (p != null) return Boolean.parseBoolean(p);
        String main = String.valueOf(System.getProperty("sun.java.command")).split(" ", 2)[0];
        return main.endsWith("com.sun.tools.script.shell.Main"); // "java.scripting/com.sun.tools.script.shell.Main"

    }

    static void register(EpluaScriptEngine e) {
        if (!enabled()) return;
        synchronized (ENGINES) {
            ENGINES.add(e);
            if (installed) return;
            installed = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ExitWait::drain, "eplua-exit-wait"));
        onSignal("INT", 130);
        onSignal("TERM", 143);
    }

    private static List<EpluaScriptEngine> engines() {
        synchronized (ENGINES) {
            return new ArrayList<>(ENGINES);
        }
    }

    private static void drain() {
        for (EpluaScriptEngine e : engines()) {
            try {
                while (!e.engine().awaitIdle(Duration.ofMinutes(1))) {
                    // still alive (timers, sockets): keep waiting, as a Node process would
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ignored) {
                // closed meanwhile
            }
            e.close();
        }
    }

    private static void onSignal(String name, int status) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                for (EpluaScriptEngine e : engines()) e.close();
                // exit from another thread: if the JVM is already shutting down, System.exit blocks
                Thread t = new Thread(() -> System.exit(status), "eplua-signal-exit");
                t.setDaemon(true);
                t.start();
            });
        } catch (Throwable ignored) {
            // signal not available here (or already used by the host): the hook still works
        }
    }
}
