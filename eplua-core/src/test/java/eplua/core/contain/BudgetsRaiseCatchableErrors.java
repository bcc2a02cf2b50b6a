package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import eplua.core.Profile;
import eplua.core.testing.SystemProperties;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Budgets per engine (builder options, else system properties, else the profile's defaults): running out raises a
 * catchable Lua error starting with "budget:" (sizes: Lua's own messages) in the offending task only.
 */
class BudgetsRaiseCatchableErrors {
    private static Varargs run(Engine e, String chunk) throws Exception {
        return e.eval(chunk, "budget.lua").get(30, TimeUnit.SECONDS);
    }

    private static String failure(Engine e, String chunk) {
        ExecutionException x = assertThrows(ExecutionException.class, () -> run(e, chunk));
        assertTrue(x.getCause() instanceof LuaScriptException, String.valueOf(x.getCause()));
        return x.getCause().getMessage();
    }

    @Test
    void aTrustedEngineHasNoInstructionLimit() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            assertEquals(Profile.TRUSTED, e.profile());
            assertEquals(10_000_000, run(e, "local x = 0 for i = 1, 1e7 do x = x + 1 end return x").toint(1));
        }
    }

    @Test
    void theInstructionsBudgetCountsEachSliceOfEveryTaskAndCallback() throws Exception {
        List<LuaScriptException> reports = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().keepJvmAlive(false).maxInstructions(100_000).errorHandler(reports::add).build()) {
            assertTrue(failure(e, "while true do end").contains("budget: instructions"));
            run(e, "setTimeout(function() while true do end end, 0)");
            assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).getMessage().contains("budget: instructions"), reports.get(0).getMessage());
            // many slices, each within the budget
            assertEquals(500_000, run(e, "local n = 0 for r = 1, 50 do for i = 1, 10000 do n = n + 1 end yield() end return n")
                    .toint(1));
        }
    }

    @Test
    void theTimeBudgetReachesAWaitingTaskAndAHostsInvoke() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).evalTimeout(Duration.ofMillis(200)).build()) {
            long t0 = System.nanoTime();
            assertTrue(failure(e, "sleep(10)").contains("budget: time"));
            Varargs r = run(e, "local ok, err = pcall(sleep, 10) return ok, err");
            assertFalse(r.arg1().toboolean(), "caught");
            assertTrue(r.arg(2).tojstring().contains("budget: time"), r.arg(2).tojstring());
            assertTrue(failure(e, "pcall(sleep, 10) sleep(10)").contains("budget: time"), "caught, went on: ended");
            LuaValue fn = run(e, "return function() sleep(10) end").arg1();
            LuaScriptException x = assertThrows(LuaScriptException.class, () -> e.invoke(fn, LuaValue.NONE));
            assertTrue(x.getMessage().contains("budget: time"), x.getMessage());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 8000, "took " + ms + " ms");
            assertEquals(3, run(e, "return 1 + 2").toint(1), "quick calls are fine");
        }
    }

    @Test
    void sizeBudgetsArePerEngine() throws Exception {
        try (Engine small = Engine.builder().keepJvmAlive(false).maxStringSize(2_000_000).maxTableSize(1000).build();
             Engine big = Engine.builder().keepJvmAlive(false).build()) {
            String chunk = "local function try(f, ...) local ok, e = pcall(f, ...) return ok and 'ok' or e end\n"
                    + "return try(string.rep, 'x', 3e6), try(string.format, '%s', string.rep('y', 1.5e6) .. string.rep('z', 1.5e6)),\n"
                    + "  try(table.concat, {string.rep('a', 1.5e6), string.rep('b', 1.5e6)}),\n"
                    + "  try(string.gsub, string.rep('a', 1e6), 'a', 'bbb'),\n"
                    + "  try(table.unpack, {}, 1, 1001), try(json.decode, '[' .. string.rep('0,', 1500) .. '0]')";
            Varargs s = run(small, chunk);
            assertEquals("resulting string too large", s.arg(1).tojstring());
            assertEquals("resulting string too large", s.arg(2).tojstring());
            assertEquals("resulting string too large", s.arg(3).tojstring());
            assertEquals("resulting string too large", s.arg(4).tojstring());
            assertEquals("too many results to unpack", s.arg(5).tojstring());
            assertTrue(s.arg(6).tojstring().contains("json.decode: too many values (more than 1000 in one table)"),
                    s.arg(6).tojstring());
            Varargs b = run(big, chunk);
            for (int i = 1; i <= 6; i++) assertEquals("ok", b.arg(i).tojstring(), "result " + i);
        }
    }

    @Test
    void systemPropertiesSetTheDefaults() throws Exception {
        try (Engine e = SystemProperties.with("eplua.maxInstructions", "50000",
                () -> Engine.builder().keepJvmAlive(false).build())) {
            assertTrue(failure(e, "while true do end").contains("budget: instructions (more than 50000"));
        }
        try (Engine builderWins = Engine.builder().keepJvmAlive(false).maxInstructions(0).build()) {
            assertEquals(1_000_000, run(builderWins, "local n = 0 for i = 1, 1e6 do n = n + 1 end return n").toint(1));
        }
    }
}
