package eplua.core.bench;

import eplua.core.Engine;
import eplua.core.FiberMode;
import eplua.core.LuaScriptException;
import eplua.core.internal.Internals;
import eplua.core.internal.loop.Timers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Core benchmarks (run by dev/bench/core/run.sh, never by the test suite). Prints one "name value unit" line per
 * figure; the script puts them next to Node/C Lua baselines measured in the same run.
 */
public final class CoreBench {
    public static void main(String[] args) throws Exception {
        String only = args.length > 0 ? args[0] : "all";
        System.out.println("# java " + System.getProperty("java.version") + ", fibers: "
                + FiberMode.forNewEngines().name().toLowerCase(java.util.Locale.ROOT));
        if (only.equals("all") || only.equals("timers")) timers1M();
        if (only.equals("all") || only.equals("invoke")) invokeRoundTrip();
        if (only.equals("all") || only.equals("startup")) newEngine();
        if (only.equals("all") || only.equals("taskcontext")) taskContext();
        if (only.equals("all") || only.equals("spawn")) spawnSleep0();
        if (only.equals("all") || only.equals("alive"))
            aliveTasks(Integer.getInteger("alive.n", Runtime.version().feature() >= 21 ? 100_000 : 8_000));
        if (only.equals("all") || only.equals("resume")) resumeYield();
        System.exit(0);
    }

    static Engine engine() {
        return Engine.builder().keepJvmAlive(false).build();
    }

    /** 1,000,000 setTimeout callbacks with random 0-100 ms delays, all fired (same script as timers.js). */
    static void timers1M() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Engine e = engine()) {
                long t0 = System.nanoTime();
                Varargs r = e.eval("local n, N = 0, 1000000\n"
                        + "local rnd = math.random\n"
                        + "local function cb() n = n + 1 end\n"
                        + "for i = 1, N do setTimeout(cb, rnd(0, 100)) end\n"
                        + "while n < N do sleep(0.01) end\n"
                        + "return n", "timers.lua").get(120, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("timers_1M_ms " + ms + " (fired " + r.arg1().toint() + ")");
            }
        }
    }

    /** invoke of a Lua function from another thread: median and p99 round trip. */
    static void invokeRoundTrip() throws Exception {
        try (Engine e = engine()) {
            LuaValue fn = e.call(() -> e.compile("local n = 0 return function(x) n = n + x return n end", "c.lua", null).call());
            LuaValue one = LuaValue.valueOf(1);
            int n = 50_000;
            long[] t = new long[n];
            for (int i = 0; i < 20_000; i++) e.invoke(fn, one); // warm up
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                e.invoke(fn, one);
                t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            System.out.printf("invoke_median_us %.1f%ninvoke_p99_us %.1f%n", t[n / 2] / 1e3, t[n * 99 / 100] / 1e3);
        }
    }

    /** A new engine plus its first eval("return 1") in a warm JVM. */
    static void newEngine() throws Exception {
        for (int i = 0; i < 30; i++) {
            try (Engine e = engine()) {
                e.join(e.eval("return 1", "one.lua"));
            }
        }
        int n = 50;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Engine e = engine();
            e.join(e.eval("return 1", "one.lua"));
            t[i] = System.nanoTime() - t0;
            e.close();
        }
        Arrays.sort(t);
        System.out.printf("new_engine_first_eval_median_ms %.2f%n", t[n / 2] / 1e6);
    }

    /**
     * 100,000 timer callbacks that never suspend: run as tasks (normal) vs called directly on the loop by a Java timer
     * this class adds through the engine's internals (outside any task: what running callbacks as tasks costs).
     */
    static void taskContext() throws Exception {
        String script = "local n, N = 0, 100000\n"
                + "local function cb() n = n + 1 end\n"
                + "local add = MODE == 'direct' and direct_timer or function(f, ms) return setTimeout(f, ms) end\n"
                + "for i = 1, N do add(cb, (i % 50)) end\n"
                + "while n < N do sleep(0.005) end\n"
                + "return n";
        for (int round = 0; round < 5; round++) {
            for (String mode : new String[] {"task", "direct"}) {
                try (Engine e = engine()) {
                    e.call(() -> {
                        e.globals().set("MODE", mode);
                        e.globals().set("direct_timer", directTimer(e));
                        return null;
                    });
                    long t0 = System.nanoTime();
                    e.eval(script, "ctx.lua").get(60, TimeUnit.SECONDS);
                    System.out.println("timer100k_" + mode + "_ms " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
            }
        }
    }

    /** direct_timer(fn, ms): a loop timer that calls {@code fn} right on the Lua thread, outside any task. */
    static LuaValue directTimer(Engine e) {
        Timers timers = Internals.of(e).lua().timers();
        return new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue fn, LuaValue ms) {
                return valueOf(timers.add(ms.todouble(), 0, false, ticket -> {
                    if (!ticket.consume()) return;
                    try {
                        fn.call();
                    } catch (LuaError x) {
                        e.report(LuaScriptException.from(x));
                    }
                }));
            }
        };
    }

    /**
     * spawn + finish 100,000 tasks that each sleep(0) once: all at once on virtual threads; on platform threads
     * (Java 17) in waves of 5,000, since every suspended task holds a thread there.
     */
    static void spawnSleep0() throws Exception {
        boolean virtual = FiberMode.forNewEngines() != FiberMode.PLATFORM;
        int wave = virtual ? 100_000 : 5_000;
        int rounds = Integer.getInteger("spawnRounds", 10), cold = 3;
        double[] warm = new double[rounds - cold];
        for (int round = 0; round < rounds; round++) {
            System.gc(); // each round starts clean: the last round's 100k dead fibers are not this round's cost
            try (Engine e = engine()) {
                long t0 = System.nanoTime();
                e.eval("local N, WAVE, done = 100000, " + wave + ", 0\n"
                        + "local function body() sleep(0) done = done + 1 end\n"
                        + "for w = 1, N / WAVE do\n"
                        + "  for i = 1, WAVE do spawn(body) end\n"
                        + "  while done < w * WAVE do sleep(0.001) end\n"
                        + "end", "spawn.lua").get(300, TimeUnit.SECONDS);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("spawn_sleep0_tasks_per_s %.0f (waves of %d)%s%n", 100_000 / s, wave,
                        round < cold ? " (cold: JIT warming up)" : "");
                if (round >= cold) warm[round - cold] = 100_000 / s;
            }
        }
        java.util.Arrays.sort(warm);
        System.out.printf("spawn_sleep0_tasks_per_s median of %d warm rounds: %.0f (min %.0f, max %.0f)%n",
                warm.length, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
    }

    /** N tasks alive at once, each sleeping; heap used. */
    static void aliveTasks(int n) throws Exception {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        try (Engine e = engine()) {
            long t0 = System.nanoTime();
            Varargs r = e.eval("local N = " + n + "\n"
                    + "local started = 0\n"
                    + "for i = 1, N do spawn(function() started = started + 1 sleep(3600) end) end\n"
                    + "while started < N do sleep(0.01) end\n"
                    + "return started", "alive.lua").get(600, TimeUnit.SECONDS);
            double s = (System.nanoTime() - t0) / 1e9;
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            System.out.printf("alive_tasks %d in %.2f s, heap %.0f MB%n", r.arg1().toint(), s, (after - before) / 1e6);
        }
    }

    /** coroutine resume/yield round trip inside one task (same loop as resume.lua for C Lua). */
    static void resumeYield() throws Exception {
        try (Engine e = engine()) {
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                e.eval("local N = 200000\n"
                        + "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
                        + "for i = 1, N do co() end", "resume.lua").get(120, TimeUnit.SECONDS);
                double us = (System.nanoTime() - t0) / 1e3 / 200_000;
                System.out.printf("resume_yield_us %.2f%n", us);
            }
        }
    }
}
