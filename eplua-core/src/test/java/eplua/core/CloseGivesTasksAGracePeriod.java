package eplua.core;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shutdown protocol of {@code close()}: {@code is_app_running()} turns false, {@code on_cleanup} handlers run as
 * tasks, tasks get the grace period to finish (it ends as soon as none is left), then those left are cancelled with
 * their clean-up; a host's {@code close()} returns within the grace period plus a margin even when Lua never yields.
 */
class CloseGivesTasksAGracePeriod {
    private final StringWriter out = new StringWriter();
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
    private final ProbeModule probe = new ProbeModule();

    private Engine engine(Duration grace) {
        return Engine.builder().keepJvmAlive(false).output(out).errorHandler(errors::add).modules(List.of(probe))
                .gracePeriod(grace).build();
    }

    private static long msSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void anIsAppRunningLoopSeesTheCloseAndFinishes() throws Exception {
        Engine e = engine(Duration.ofSeconds(10));
        CompletableFuture<?> chunk = e.eval(String.join("\n",
                "print('running', is_app_running())",
                "while is_app_running() do sleep(0.1) end",
                "print('bye')"), "loop.lua");
        e.eval("spawn(function() while is_app_running() do yield() end print('spinner done') end)", "spin.lua");
        e.eval("return 1", "sync.lua").get(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        e.close();
        long ms = msSince(t0);
        assertTrue(chunk.isDone());
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("running\ttrue", lines.get(0));
        assertEquals(java.util.Set.of("spinner done", "bye"), java.util.Set.copyOf(lines.subList(1, 3)));
        assertTrue(ms < 1000, "the grace period ends when the last task does: " + ms + " ms");
        assertTrue(e.isClosed());
        assertEquals(List.of(), errors);
    }

    @Test
    void cleanUpHandlersRunInOrderAsTasksThatMayAwait() throws Exception {
        Engine e = engine(Duration.ofSeconds(10));
        e.join(e.eval(String.join("\n",
                "on_cleanup(function() print('first', is_app_running()) sleep(0.02) print('first done') end)",
                "on_cleanup(function() print('second') end)",
                "setInterval(function() end, 1000)"), "cleanup.lua"));
        assertEquals(List.of(), lines(), "not before the close");
        e.close();
        assertEquals(List.of("first\tfalse", "second", "first done"), lines());
        assertEquals(List.of(), errors);
    }

    @Test
    void tasksLeftAfterTheGracePeriodAreCancelledWithTheirCleanUp() throws Exception {
        Engine e = engine(Duration.ofMillis(300));
        e.join(e.eval(String.join("\n",
                "spawn(function()",
                "  _eplua.probe.open('socket')",
                "  defer(function() print('deferred', _eplua.core.task_status(_eplua.core.current_task())) end)",
                "  _eplua.probe.wait('read')",
                "end)",
                "spawn(function() sleep(0.05) print('quick one finished') end)"), "stuck.lua"));
        long t0 = System.nanoTime();
        e.close();
        long ms = msSince(t0);
        assertTrue(ms >= 290 && ms < 2300, "closed after the grace period: " + ms + " ms");
        assertEquals(List.of("quick one finished", "deferred\tcancelled"), lines());
        assertEquals(List.of("read"), probe.aborted, "the awaited operation is abandoned");
        assertEquals(List.of("socket"), probe.closed);
        assertEquals(List.of(), errors);
    }

    @Test
    void theHostIsRefusedNewWorkDuringTheGracePeriod() throws Exception {
        Engine e = engine(Duration.ofSeconds(10));
        CompletableFuture<Boolean> refusedWhileClosing = new CompletableFuture<>();
        e.join(e.eval("on_cleanup(function() sleep(0.5) end)", "c.lua"));
        Thread closer = new Thread(e::close);
        closer.start();
        while (e.isRunning()) Thread.onSpinWait();
        try {
            e.eval("return 1", "late.lua");
        } catch (IllegalStateException x) {
            refusedWhileClosing.complete(!e.isClosed());
        }
        closer.join(10_000);
        assertEquals(true, refusedWhileClosing.getNow(false), "eval while closing is refused");
        assertTrue(e.isClosed());
    }

    @Test
    void aHostCloseIsBoundedWhenLuaNeverGivesTheLoopATurn() throws Exception {
        Engine e = engine(Duration.ofMillis(200));
        e.eval("spawn(function() print('spinning') while true do end end)", "spin.lua");
        while (!out.toString().contains("spinning")) Thread.sleep(1);
        long t0 = System.nanoTime();
        e.close();
        long ms = msSince(t0);
        assertTrue(e.isClosed());
        assertTrue(ms < 200 + 2000 + 3000, "stopped after the grace period and its margin: " + ms + " ms");
    }

    @Test
    void theGracePeriodComesFromTheSystemPropertyByDefault() throws Exception {
        String old = System.getProperty("eplua.gracePeriod");
        System.setProperty("eplua.gracePeriod", "150");
        try {
            Engine e = engine(null);
            e.join(e.eval("spawn(function() sleep(60) end)", "sleeper.lua"));
            long t0 = System.nanoTime();
            e.close();
            long ms = msSince(t0);
            assertTrue(ms >= 140 && ms < 1500, "closed after ~150 ms: " + ms + " ms");
        } finally {
            if (old == null) System.clearProperty("eplua.gracePeriod");
            else System.setProperty("eplua.gracePeriod", old);
        }
    }

    @Test
    void aCloseFromTheLoopRunsTheSameProtocol() throws Exception {
        Engine e = engine(Duration.ofSeconds(10));
        CompletableFuture<?> chunk = e.eval("while is_app_running() do sleep(0.01) end print('bye')", "loop.lua");
        e.join(e.eval("return 1", "sync.lua"));
        e.post(e::close);
        chunk.handle((v, x) -> null).get(5, TimeUnit.SECONDS);
        assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of("bye"), lines());
        e.close();
        assertTrue(e.isClosed());
    }

    @Test
    void logPrintsTheTimeFirst() throws Exception {
        try (Engine e = engine(Duration.ZERO)) {
            e.join(e.eval("log('hello', 42)", "log.lua"));
        }
        assertTrue(lines().get(0).matches("\\[\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d] hello\t42"), lines().toString());
    }

    private List<String> lines() {
        String s = out.toString();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }
}
