package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Library calls that can run for long (a pattern that backtracks exponentially, sorts, concatenations, string.rep,
 * load of a huge chunk) stop at close() and when a budget runs out, as a Lua loop does.
 */
class LongLibraryCallsStop {
    /** Exponential backtracking: about 30 s in LuaJ's matcher and in C Lua. */
    static final String RUNAWAY = "string.find(string.rep('a', 40), string.rep('a*', 20) .. 'b')";

    /** An engine with {@code started()}: a Lua function that counts {@code latch} down. */
    private static Engine withLatch(Engine.Builder b, CountDownLatch latch) {
        Engine e = b.keepJvmAlive(false).build();
        e.call(() -> {
            e.globals().set("started", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    latch.countDown();
                    return NIL;
                }
            });
            return null;
        });
        return e;
    }

    private static void assertNoThreadIn(String className) {
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet())
            for (StackTraceElement f : t.getValue())
                assertFalse(f.getClassName().endsWith(className), t.getKey().getName() + " still runs " + className);
    }

    private static long closeAndTime(Engine e) {
        long t0 = System.nanoTime();
        e.close();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void closeStopsARunawayPatternWithinASecondAndItsFiberEnds() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Engine e = withLatch(Engine.builder(), started);
        CompletableFuture<Varargs> f = e.eval("started() return " + RUNAWAY, "runaway.lua");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long ms = closeAndTime(e);
        assertTrue(ms < 1000, "close() took " + ms + " ms");
        assertTrue(f.isDone(), "the eval settled");
        assertThrows(java.util.concurrent.CancellationException.class, f::join);
        assertNoThreadIn("PatternMatcher");
    }

    @Test
    void closeStopsASortWhoseLuaComparatorSpins() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Engine e = withLatch(Engine.builder(), started);
        CompletableFuture<Varargs> f = e.eval("local t = {3, 1, 2}\n"
                + "table.sort(t, function(a, b) started() while true do end end)", "sort.lua");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long ms = closeAndTime(e);
        assertTrue(ms < 1000, "close() took " + ms + " ms");
        assertTrue(f.isDone());
    }

    private static String budgetError(Engine.Builder b, String chunk) throws Exception {
        try (Engine e = b.keepJvmAlive(false).build()) {
            long t0 = System.nanoTime();
            Varargs r = e.eval("local ok, err = pcall(function() " + chunk + " end)\n"
                    + "return ok, err", "budget.lua").get(20, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(r.arg1().toboolean(), chunk + " ran to its end");
            assertTrue(ms < 5000, chunk + " stopped after " + ms + " ms");
            return r.arg(2).tojstring();
        }
    }

    @Test
    void theInstructionsBudgetStopsARunawayPatternInEveryFunction() throws Exception {
        for (String call : new String[] {RUNAWAY,
                "string.match(string.rep('a', 40), string.rep('a*', 20) .. 'b')",
                "string.gsub(string.rep('a', 40), string.rep('a*', 20) .. 'b', '')",
                "for x in string.gmatch(string.rep('a', 40), string.rep('a*', 20) .. 'b') do end"}) {
            String err = budgetError(Engine.builder().maxInstructions(1_000_000), call);
            assertTrue(err.contains("budget: instructions"), call + ": " + err);
        }
    }

    @Test
    void theTimeBudgetStopsARunawayPattern() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).evalTimeout(Duration.ofMillis(300)).build()) {
            long t0 = System.nanoTime();
            ExecutionException x = assertThrows(ExecutionException.class,
                    () -> e.eval("return " + RUNAWAY, "runaway.lua").get(20, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(x.getCause() instanceof LuaScriptException, String.valueOf(x.getCause()));
            assertTrue(x.getCause().getMessage().contains("budget: time"), x.getCause().getMessage());
            assertTrue(ms < 3000, "stopped after " + ms + " ms");
            assertEquals(2, e.eval("return 1 + 1", "after.lua").get(5, TimeUnit.SECONDS).toint(1),
                    "the engine goes on");
        }
    }

    @Test
    void sortsConcatenationsRepetitionsAndLoadsReportTheirWork() throws Exception {
        Engine.Builder small = Engine.builder().maxInstructions(20_000);
        // tables made by one library call: few instructions, so only the call under test can exhaust the budget
        String bytes = "local t = {string.byte(string.rep('qwertyuiopasdfghjklzxcvbnm', 8000), 1, -1)} ";
        assertTrue(budgetError(small, bytes + "table.sort(t)").contains("budget: instructions"));
        assertTrue(budgetError(small, bytes + "table.sort(t, function(a, b) return a > b end)")
                .contains("budget: instructions"));
        assertTrue(budgetError(small, bytes + "table.concat(t, ',')").contains("budget: instructions"));
        assertTrue(budgetError(small, "string.rep('x', 2e7)").contains("budget: instructions"));
        assertTrue(budgetError(small, "local f, err = load(string.rep('x = 1 ', 400000)) error(err)")
                .contains("budget: instructions"));
        assertTrue(budgetError(small, "string.find(string.rep('a', 2e6), 'b', 1, true)").contains("budget: instructions"));
    }

    @Test
    void theSameCallsFinishWithinAGenerousBudget() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).maxInstructions(50_000_000).build()) {
            Varargs r = e.eval("local t = {string.byte(string.rep('qwertyuiopasdfghjklzxcvbnm', 8000), 1, -1)}\n"
                    + "table.sort(t)\n"
                    + "local ok = true\n"
                    + "for i = 2, #t do if t[i - 1] > t[i] then ok = false end end\n"
                    + "local n = #t - 1\n"
                    + "for i = 1, #t do n = n + #tostring(t[i]) end\n"
                    + "return ok, #table.concat(t, ',') == n, #string.rep('x', 2e7), load(string.rep('x = 1 ', 40000)) ~= nil",
                    "fine.lua").get(60, TimeUnit.SECONDS);
            assertTrue(r.arg(1).toboolean(), "sorted");
            assertTrue(r.arg(2).toboolean(), "concatenated");
            assertEquals(20_000_000, r.arg(3).toint());
            assertTrue(r.arg(4).toboolean());
        }
    }
}
