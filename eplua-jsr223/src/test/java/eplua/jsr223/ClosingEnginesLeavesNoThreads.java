package eplua.jsr223;

import org.junit.jupiter.api.Test;

import javax.script.ScriptEngineManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

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
            long during = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> names.stream().anyMatch(n -> t.getName().startsWith(n))).count();
            assertTrue(during >= 200, "each engine has at least a loop thread: " + during);
        } finally {
            for (EpluaScriptEngine e : engines) e.close();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // threads end asynchronously after close (keep-alive threads notice it): join the new ones, with a deadline
        long deadline = System.currentTimeMillis() + 10_000;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t)) continue;
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
        assertEquals(List.of(), others.stream().filter(n -> !n.startsWith("globalEventExecutor")
                        && !n.startsWith("ForkJoinPool-") && !n.startsWith("VirtualThread-"))
                .collect(Collectors.toList()), "other threads left behind");
        for (EpluaScriptEngine e : engines) assertTrue(e.engine().isClosed());
        System.out.println("ClosingEnginesLeavesNoThreads: 200 engines created, given timers and closed in " + ms + " ms");
    }
}
