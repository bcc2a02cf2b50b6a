package eplua.jsr223;

import org.junit.jupiter.api.Test;

import javax.script.ScriptEngineManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Engines share the JVM's loops: two hundred of them with pending timers add a few threads, not one per engine, and
 * closing them leaves none of theirs behind (the shared loops and their idle fibers stay, as daemons).
 */
class ClosingEnginesLeavesNoThreads {
    @Test
    void twoHundredEnginesWithPendingTimers() throws Exception {
        ScriptEngineManager manager = new ScriptEngineManager();
        manager.getEngineByName("luaj"); // let LuaJ's factory do its one-time setup before the baseline
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<EpluaScriptEngine> engines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < 200; i++) {
                EpluaScriptEngine e = (EpluaScriptEngine) manager.getEngineByName("eplua");
                engines.add(e);
                names.add(e.engine().name() + "-");
                e.eval("setTimeout(function() end, 60000) setTimeout(function() end, 60000)");
                assertTrue(e.engine().isAlive());
            }
            List<String> during = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .map(Thread::getName).sorted().collect(Collectors.toList());
            int loops = eplua.core.LoopGroup.shared().loops();
            // the loops, an idle fiber or two per loop, the keep-alive, the watchdog, the JMX registrar
            assertTrue(during.size() <= 3 * loops + 4, "threads do not grow with engines: " + during);
            assertTrue(during.stream().noneMatch(n -> names.stream().anyMatch(n::startsWith)),
                    "no thread of an engine's own: " + during);
        } finally {
            for (EpluaScriptEngine e : engines) e.close();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // threads end asynchronously after close (the keep-alive notices it): join the new ones, with a deadline
        long deadline = System.currentTimeMillis() + 10_000;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || t.getName().startsWith("eplua-loop-") || t.getName().startsWith("eplua-watchdog")
                    || t.getName().startsWith("eplua-jmx")) continue;
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        List<String> ours = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || !t.isAlive()) continue;
            if (names.stream().anyMatch(n -> t.getName().startsWith(n))) ours.add(t.getName());
            else others.add(t.getName());
        }
        assertEquals(List.of(), ours, "engine threads left behind");
        // JVM-wide infrastructure may start once and stay: Netty's global executor, and on Java 21+ the virtual
        // thread scheduler's carriers that run fibers
        // thread scheduler's carriers that run fibers; the shared loops and their idle fibers (daemons) stay for
        // the next engines, and eplua's JVM-wide watchdog and JMX registrar
        assertEquals(List.of(), others.stream().filter(n -> !n.startsWith("globalEventExecutor")
                        && !n.startsWith("ForkJoinPool-") && !n.startsWith("VirtualThread-")
                        && !n.startsWith("eplua-loop-") && !n.equals("eplua-watchdog") && !n.equals("eplua-jmx"))
                .collect(Collectors.toList()), "other threads left behind");
        for (EpluaScriptEngine e : engines) assertTrue(e.engine().isClosed());
        System.out.println("ClosingEnginesLeavesNoThreads: 200 engines created, given timers and closed in " + ms + " ms");
    }
}
