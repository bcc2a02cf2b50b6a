import javax.script.Invocable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * invokeFunction of a two-argument function from the host thread, as a tool hook calls it: eplua through javax.script
 * next to eplua's core Engine.invoke and Nashorn's invokeFunction, in one JVM and one run. Prints median and p99 of
 * single calls after a warm-up, then 8 host threads x 100,000 calls on one engine (wall time, exact sum checked).
 * Usage: java ... InvokeBench [calls]
 */
public final class InvokeBench {
    interface Call {
        Object call(int i) throws Exception;
    }

    public static void main(String[] a) throws Exception {
        int n = a.length > 0 ? Integer.parseInt(a[0]) : 200_000;
        ScriptEngineManager m = new ScriptEngineManager();
        ScriptEngine lua = m.getEngineByName("eplua");
        lua.eval("function add(x, y) return x + y end");
        Invocable inv = (Invocable) lua;
        eplua.core.Engine core = ((eplua.jsr223.EpluaScriptEngine) lua).engine();
        org.luaj.vm2.LuaValue add = core.call(() -> core.globals().get("add"));
        ScriptEngine js = m.getEngineByName("nashorn");
        Invocable jsInv = null;
        if (js != null) {
            js.eval("function add(x, y) { return x + y; }");
            jsInv = (Invocable) js;
        }
        System.out.println("# " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
                + "fibers " + core.fiberMode());
        Invocable jsI = jsInv;
        for (int round = 0; round < 3; round++) {
            boolean last = round == 2;
            report("eplua invokeFunction", n, last, i -> inv.invokeFunction("add", i, 1));
            report("eplua Engine.invoke ", n, last, i -> core.invoke(add, org.luaj.vm2.LuaValue.varargsOf(
                    org.luaj.vm2.LuaValue.valueOf(i), org.luaj.vm2.LuaValue.ONE)));
            if (jsI != null) report("nashorn invokeFunction", n, last, i -> jsI.invokeFunction("add", i, 1));
        }
        threads(inv, 8, 100_000);
        ((AutoCloseable) lua).close();
    }

    static void report(String name, int n, boolean print, Call c) throws Exception {
        long[] t = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            Object r = c.call(i);
            t[i] = System.nanoTime() - s;
            sum += ((Number) (r instanceof org.luaj.vm2.Varargs ? ((org.luaj.vm2.Varargs) r).arg1().tolong() : r)).longValue();
        }
        long want = (long) n * (n - 1) / 2 + n;
        if (sum != want) throw new AssertionError(name + ": sum " + sum + " != " + want);
        if (!print) return;
        Arrays.sort(t);
        System.out.printf("%-24s median %7.2f us  p99 %8.2f us  p99.9 %8.2f us%n", name, t[n / 2] / 1e3,
                t[(int) (n * 0.99)] / 1e3, t[(int) (n * 0.999)] / 1e3);
    }

    static void threads(Invocable inv, int threads, int calls) throws Exception {
        AtomicLong sum = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            ts[k] = new Thread(() -> {
                try {
                    go.await();
                    long s = 0;
                    for (int i = 0; i < calls; i++) s += ((Number) inv.invokeFunction("add", i, 1)).longValue();
                    sum.addAndGet(s);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ts[k].start();
        }
        long s = System.nanoTime();
        go.countDown();
        for (Thread t : ts) t.join();
        long ms = (System.nanoTime() - s) / 1_000_000;
        long want = (long) threads * ((long) calls * (calls - 1) / 2 + calls);
        System.out.printf("eplua %d threads x %,d calls: %,d ms, sum %s%n", threads, calls, ms,
                sum.get() == want ? "exact" : "WRONG " + sum.get() + " != " + want);
    }
}
