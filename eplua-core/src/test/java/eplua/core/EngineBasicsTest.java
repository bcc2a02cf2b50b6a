package eplua.core;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.io.StringWriter;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class EngineBasicsTest {
    @Test
    void evalReturnsValues() throws Exception {
        try (Engine e = Engine.builder().build()) {
            Varargs r = e.eval("return 1 + 1, 'x'", "t.lua").get();
            assertEquals(2, r.arg1().toint());
            assertEquals("x", r.arg(2).tojstring());
        }
    }

    @Test
    void timersFireInOrderAndEngineGoesIdle() throws Exception {
        StringWriter out = new StringWriter();
        try (Engine e = Engine.builder().output(out).build()) {
            e.eval("setTimeout(function() print('b') end, 20)\n"
                    + "setTimeout(function() print('a') end, 10)\n"
                    + "setTimeout(function() print('c') end, 20)\n"
                    + "print('main')", "t.lua").get();
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            assertEquals("main\na\nb\nc\n", out.toString().replace("\r", ""));
        }
    }

    @Test
    void tasksSleepAndAwait() throws Exception {
        try (Engine e = Engine.builder().build()) {
            Varargs r = e.eval("local t = spawn(function(a) sleep(0.01) return a * 2 end, 21)\n"
                    + "return t:await(), t:status()", "t.lua").get();
            assertEquals(42, r.arg1().toint());
            assertEquals("done", r.arg(2).tojstring());
        }
    }

    @Test
    void coroutinesWork() throws Exception {
        try (Engine e = Engine.builder().build()) {
            Varargs r = e.eval("local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\n"
                    + "local s = 0 for i = 1, 3 do s = s + gen() end\n"
                    + "local co = coroutine.create(function() sleep(0.01) coroutine.yield(5) return 7 end)\n"
                    + "local ok1, a = coroutine.resume(co)\n"
                    + "local ok2, b = coroutine.resume(co)\n"
                    + "return s, a, b, coroutine.status(co)", "t.lua").get();
            assertEquals(6, r.arg1().toint());
            assertEquals(5, r.arg(2).toint());
            assertEquals(7, r.arg(3).toint());
            assertEquals("dead", r.arg(4).tojstring());
        }
    }

    @Test
    void errorsCarryLine() {
        try (Engine e = Engine.builder().build()) {
            Exception x = assertThrows(Exception.class, () -> e.join(e.eval("local a = 1\nerror('boom')", "dev/x.lua")));
            LuaScriptException l = (LuaScriptException) x;
            assertEquals("dev/x.lua", l.fileName());
            assertEquals(2, l.lineNumber());
            assertTrue(l.getMessage().startsWith("dev/x.lua:2: boom"), l.getMessage());
        }
    }

    @Test
    void closeStopsARunawayScript() throws Exception {
        Engine e = Engine.builder().keepJvmAlive(false).build();
        java.util.concurrent.CompletableFuture<Varargs> spin = e.eval("local n = 0 while true do n = n + 1 end", "spin.lua");
        e.post(() -> {}); // queued behind the spinning chunk
        long t0 = System.nanoTime();
        e.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5000, "close took " + ms + " ms");
        assertTrue(e.isClosed());
        assertTrue(spin.isDone(), "the spinning chunk's future is settled");
        long left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(e.name() + "-")).count();
        assertEquals(0, left);
    }
}
