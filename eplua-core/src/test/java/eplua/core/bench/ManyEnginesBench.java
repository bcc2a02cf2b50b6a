package eplua.core.bench;

import eplua.core.Engine;
import eplua.core.LoopGroup;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Many engines in one JVM (run by dev/bench/engines/run.sh, never by the test suite): creates two batches of engines
 * (1,000 each by default), each holding one pending timer and no suspended task, and prints one table row: live
 * threads after each batch, creation time per engine in each batch (the first in a fresh JVM, the second once the
 * first warmed it), and heap per engine in each batch (used heap after GC, delta / count). Usage:
 * {@code ManyEnginesBench eplua|nashorn [engines]}. Nashorn (15.4, on the class path) has no timers: each of its
 * engines evaluates a script that defines a function and keeps it in a pending list, as a setTimeout would.
 */
public final class ManyEnginesBench {
    /** What one engine costs to make: {@link #create} returns the engine, kept alive until the end. */
    interface Maker {
        Object create() throws Exception;
    }

    private static final String NASHORN_TIMER = "var pending = [];\n"
            + "function setTimeout(fn, ms) { pending.push({fn: fn, at: Date.now() + ms}); return pending.length; }\n"
            + "setTimeout(function() { print('fired'); }, 3600000);";

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "eplua";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Maker maker;
        String detail;
        if (which.equals("nashorn")) {
            ScriptEngineManager manager = new ScriptEngineManager();
            maker = () -> {
                ScriptEngine js = manager.getEngineByName("nashorn");
                if (js == null) throw new IllegalStateException("no nashorn engine on the class path");
                js.eval(NASHORN_TIMER);
                return js;
            };
            detail = "nashorn";
        } else {
            maker = () -> {
                Engine e = Engine.create();
                e.join(e.eval("setTimeout(function() print('fired') end, 3600000)", "timer.lua"));
                return e;
            };
            detail = null; // named after the run, by the modules its engines installed
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Object> kept = new ArrayList<>();
        int threads0 = threads.getThreadCount();
        long heap0 = usedHeapAfterGc();
        double[] ms = new double[2];
        double[] mb = new double[2];
        int[] live = new int[2];
        long heapBefore = heap0;
        for (int batch = 0; batch < 2; batch++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) kept.add(maker.create());
            ms[batch] = (System.nanoTime() - t0) / 1e6 / n;
            live[batch] = threads.getThreadCount();
            long heap = usedHeapAfterGc();
            mb[batch] = (heap - heapBefore) / 1048576.0 / n;
            heapBefore = heap;
        }
        if (detail == null) {
            Engine first = (Engine) kept.get(0);
            detail = "eplua" + (first.modules().contains("tcp") ? " + eplua-net" : "") + " (fibers "
                    + first.fiberMode().name().toLowerCase(Locale.ROOT) + ", " + LoopGroup.shared().loops() + " loops)";
        }
        System.out.println(String.format(Locale.ROOT,
                "| %s | %s | %d | %d | %d | %.2f | %.2f | %.3f | %.3f |",
                "Java " + Runtime.version().feature(), detail, threads0, live[0], live[1], ms[0], ms[1], mb[0], mb[1]));
        System.out.flush();
        if (kept.size() != 2 * n) throw new AssertionError("engines lost");
        System.exit(0); // the engines are left alive on purpose: their timers are pending
    }

    /** Used heap once the collector has had its turns (several, so weak and soft leftovers are gone). */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100); // a benchmark, not a test: lets a concurrent collector finish its cycle
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
