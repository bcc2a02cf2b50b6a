package eplua.core.bench;

import eplua.core.Engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Many engines in one JVM (run by dev/bench/engines/run.sh, never by the test suite): creation time per engine and
 * heap per engine for N engines alive at once, each holding one pending timer. Whatever modules the class path
 * holds are installed (put eplua-net on it to count the network modules too). Prints "name value unit" lines.
 * Usage: EnginesBench [engines=1000] [rounds=1]
 */
public final class EnginesBench {
    /** The script each engine runs: one pending timer, as a host's idle device app would hold. */
    public static final String SCRIPT = "setTimeout(function() end, 60000)";

    /** What one round measured. */
    public record Figures(int engines, double firstMs, double perEngineMs, double heapPerEngineMb, int threads) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "engines %d%nfirst_engine_ms %.1f%ncreate_per_engine_ms %.2f%n"
                    + "heap_per_engine_mb %.3f%nthreads %d", engines, firstMs, perEngineMs, heapPerEngineMb, threads);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        System.out.println("# java " + System.getProperty("java.version") + ", " + n + " engines, each: " + SCRIPT);
        for (int r = 0; r < rounds; r++) {
            System.out.println("## round " + (r + 1));
            System.out.println(measure(n, () -> Engine.builder().keepJvmAlive(false).build()));
        }
        System.exit(0);
    }

    /**
     * Makes one engine (the first: timed alone, it pays for class loading and JIT), then {@code n} more kept alive
     * together, each running {@link #SCRIPT}; closes them all at the end. Heap per engine is measured after GC with
     * the {@code n} engines alive, against the heap after GC before they were made.
     */
    public static Figures measure(int n, Supplier<Engine> maker) throws Exception {
        long t0 = System.nanoTime();
        Engine first = start(maker);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        long before = usedAfterGc();
        List<Engine> engines = new ArrayList<>(n);
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) engines.add(start(maker));
        double perEngineMs = (System.nanoTime() - t1) / 1e6 / n;
        long after = usedAfterGc();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        engines.add(first);
        for (Engine e : engines) e.close();
        return new Figures(n, firstMs, perEngineMs, (after - before) / (double) n / (1 << 20), threads);
    }

    private static Engine start(Supplier<Engine> maker) throws Exception {
        Engine e = maker.get();
        e.eval(SCRIPT, "engine.lua").get(30, TimeUnit.SECONDS);
        return e;
    }

    /** Heap in use after full collections (several: a single System.gc() may leave reachable-soon garbage). */
    public static long usedAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
