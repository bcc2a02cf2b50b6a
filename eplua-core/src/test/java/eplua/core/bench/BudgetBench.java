package eplua.core.bench;

import eplua.core.Engine;
import eplua.core.FiberMode;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the instructions budget costs (run by dev/bench/budget/run.sh or with plain {@code java -cp}, never by the test
 * suite): Lua CPU work (fib, string building, table sort with and without a Lua comparator, a pattern) in engines
 * without a budget, with a budget that never runs out, with LuaJ's debug hook that counts nothing (what the hook cost
 * before budgets), and without the debug hook at all, measured in one run, rounds interleaved. Prints one line per
 * workload with the medians, and the budget's cost as ratios of medians.
 */
public final class BudgetBench {
    private static final Map<String, String> WORK = new LinkedHashMap<>();

    static {
        WORK.put("fib", "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
                + "return function() return fib(24) end");
        WORK.put("strings", "return function()\n"
                + "  local t = {}\n"
                + "  for i = 1, 60000 do t[#t + 1] = tostring(i) .. ',' end\n"
                + "  local s = table.concat(t)\n"
                + "  local u = ''\n"
                + "  for i = 1, 3000 do u = u .. string.format('%d;', i) end\n"
                + "  return #s + #u\n"
                + "end");
        WORK.put("sort", "local seed = 7\n"
                + "local base = {}\n"
                + "for i = 1, 60000 do seed = (seed * 16807) % 2147483647 base[i] = seed end\n"
                + "return function()\n"
                + "  local t = {}\n"
                + "  for i = 1, #base do t[i] = base[i] end\n"
                + "  table.sort(t)\n"
                + "  return t[1]\n"
                + "end");
        WORK.put("sort_cmp", "local seed = 7\n"
                + "local base = {}\n"
                + "for i = 1, 30000 do seed = (seed * 16807) % 2147483647 base[i] = seed end\n"
                + "return function()\n"
                + "  local t = {}\n"
                + "  for i = 1, #base do t[i] = base[i] end\n"
                + "  table.sort(t, function(a, b) return a > b end)\n"
                + "  return t[1]\n"
                + "end");
        WORK.put("gsub", "local s = string.rep('key=value; other=thing; ', 4000)\n"
                + "return function() return select(2, s:gsub('(%w+)=(%w+)', '%2=%1')) end");
    }

    public static void main(String[] args) throws Exception {
        long warmMs = Long.getLong("bench.warmMs", 8000);
        int rounds = Integer.getInteger("bench.rounds", 15);
        System.out.println("# java " + System.getProperty("java.version") + ", fibers: "
                + FiberMode.forNewEngines().name().toLowerCase(Locale.ROOT) + "; warm-up " + warmMs + " ms, "
                + rounds + " rounds; medians in ms");
        Map<String, Engine> engines = new LinkedHashMap<>();
        engines.put("no_budget", Engine.builder().keepJvmAlive(false).build());
        engines.put("budget", Engine.builder().keepJvmAlive(false).maxInstructions(1_000_000_000_000L).build());
        Engine plainHook = Engine.builder().keepJvmAlive(false).debug(false).build();
        plainHook.call(() -> plainHook.globals().load(new org.luaj.vm2.lib.UnlockedDebugLib()));
        engines.put("hook_no_count", plainHook);
        engines.put("no_hook", Engine.builder().keepJvmAlive(false).debug(false).build());
        try {
            for (Map.Entry<String, String> w : WORK.entrySet()) {
                Map<String, LuaValue> fns = new LinkedHashMap<>();
                for (Map.Entry<String, Engine> e : engines.entrySet())
                    fns.put(e.getKey(), e.getValue().eval(w.getValue(), w.getKey() + ".lua").get(60, TimeUnit.SECONDS).arg1());
                // warm up: every engine, in turn, for warmMs in all
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmMs);
                while (System.nanoTime() < until)
                    for (String k : engines.keySet()) engines.get(k).invoke(fns.get(k), LuaValue.NONE);
                Map<String, List<Long>> times = new LinkedHashMap<>();
                for (String k : engines.keySet()) times.put(k, new ArrayList<>());
                for (int r = 0; r < rounds; r++) {
                    for (String k : engines.keySet()) {
                        long t0 = System.nanoTime();
                        engines.get(k).invoke(fns.get(k), LuaValue.NONE);
                        times.get(k).add(System.nanoTime() - t0);
                    }
                }
                Map<String, Double> med = new LinkedHashMap<>();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s", w.getKey()));
                for (Map.Entry<String, List<Long>> t : times.entrySet()) {
                    double m = median(t.getValue()) / 1e6;
                    med.put(t.getKey(), m);
                    line.append(String.format(Locale.ROOT, "  %s %.2f", t.getKey(), m));
                }
                line.append(String.format(Locale.ROOT, "  | budget/no_budget %.3f  budget/hook_no_count %.3f",
                        med.get("budget") / med.get("no_budget"), med.get("budget") / med.get("hook_no_count")));
                System.out.println(line);
            }
        } finally {
            for (Engine e : engines.values()) e.close();
        }
        System.exit(0);
    }

    private static double median(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
    }
}
