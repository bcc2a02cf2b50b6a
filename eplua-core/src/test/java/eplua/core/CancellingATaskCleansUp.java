package eplua.core;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lifecycle contract modules build on (see eplua-core/LIFECYCLE.md): a cancelled task abandons the future it
 * awaits ({@code future.cancel(false)}) and closes the resources it owns unless they were released or detached; a task
 * that ends normally or fails leaves them open; deferred clean-ups run and report their errors.
 */
class CancellingATaskCleansUp {
    private final ProbeModule probe = new ProbeModule();
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();

    private Engine engine() {
        return Engine.builder().keepJvmAlive(false).modules(List.of(probe)).errorHandler(errors::add)
                .gracePeriod(Duration.ZERO).build();
    }

    private static Varargs run(Engine e, String script) throws Exception {
        return e.eval(script, "probe.lua").get(10, TimeUnit.SECONDS);
    }

    @Test
    void theFutureATaskAwaitsIsCancelledWithIt() throws Exception {
        try (Engine e = engine()) {
            Varargs r = run(e, String.join("\n",
                    "local p = _eplua.probe",
                    "local a = spawn(function() p.wait('module') end)",
                    "local b = spawn(function() await(p.future('await')) end)",
                    "local c = spawn(function() _eplua.core.try_await(p.future('try_await')) end)",
                    "local d = spawn(function() p.wait('left') end)",
                    "sleep(0.01)",
                    "a:cancel() b:cancel() c:cancel()",
                    "return a:status(), b:status(), c:status(), d:status()"));
            for (int i = 1; i <= 3; i++) assertEquals("cancelled", r.arg(i).tojstring());
            assertEquals("suspended", r.arg(4).tojstring());
            assertEquals(Set.of("module", "await", "try_await"), Set.copyOf(probe.aborted));
            assertTrue(probe.futures.get("module").isCancelled());
            assertFalse(probe.futures.get("left").isDone(), "a task that is not cancelled keeps its operation");
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aCancelledTaskClosesWhatItOwnsButNotWhatItReleasedOrDetached() throws Exception {
        try (Engine e = engine()) {
            run(e, String.join("\n",
                    "local p = _eplua.probe",
                    "local t = spawn(function()",
                    "  p.open('owned1') p.open('detached') p.open('released') p.open('owned2')",
                    "  p.detach('detached') p.release('released')",
                    "  sleep(60)",
                    "end)",
                    "sleep(0.01)",
                    "t:cancel()",
                    "sleep(0.01)"));
            assertEquals(List.of("owned2", "owned1"), probe.closed, "newest first, each once");
            assertTrue(probe.resources.get("owned1").isReleased(), "closed resources leave the books");
            assertFalse(probe.resources.get("detached").isReleased());
        }
        assertTrue(probe.closed.contains("detached"), "the engine's close closes the rest");
        assertFalse(probe.closed.contains("released"));
    }

    @Test
    void aTaskThatEndsOrFailsLeavesItsResourcesOpen() throws Exception {
        try (Engine e = engine()) {
            run(e, String.join("\n",
                    "local p = _eplua.probe",
                    "local ok = spawn(function() p.open('server') end)",
                    "local bad = spawn(function() p.open('half-done') error('boom') end)",
                    "ok:await() pcall(bad.await, bad)",
                    // the main chunk is a task too; it opens one and ends normally
                    "p.open('main')"));
            assertEquals(List.of(), probe.closed);
            assertTrue(e.isAlive(), "the resources still keep the engine alive");
            // nobody owns them any more: a later cancel of anything does not close them
            run(e, "local t = spawn(function() sleep(60) end) sleep(0.001) t:cancel() sleep(0.001)");
            assertEquals(List.of(), probe.closed);
        }
        assertEquals(Set.of("server", "half-done", "main"), Set.copyOf(probe.closed));
    }

    @Test
    void aResourceOpenedOutsideAnyTaskBelongsToNone() throws Exception {
        try (Engine e = engine()) {
            e.call(() -> {
                probe.open("loop"); // a Netty handler on the loop, say
                return null;
            });
            run(e, "local t = spawn(function() sleep(60) end) sleep(0.001) t:cancel() sleep(0.001)");
            assertEquals(List.of(), probe.closed);
        }
        assertEquals(List.of("loop"), probe.closed);
    }

    @Test
    void aChildOpensForItselfAndIsCancelledWithItsParent() throws Exception {
        try (Engine e = engine()) {
            Varargs r = run(e, String.join("\n",
                    "local p = _eplua.probe",
                    "local child",
                    "local parent = spawn(function()",
                    "  p.open('parent')",
                    "  child = spawn(function() p.open('child') p.wait('child') end)",
                    "  sleep(60)",
                    "end)",
                    "sleep(0.01)",
                    "parent:cancel()",
                    "sleep(0.01)",
                    "return child:status()"));
            assertEquals("cancelled", r.arg1().tojstring());
            assertEquals(Set.of("parent", "child"), Set.copyOf(probe.closed));
            assertEquals(List.of("child"), probe.aborted);
        }
    }

    @Test
    void deferredCleanUpErrorsAreReportedAndTheOthersStillRun() throws Exception {
        try (Engine e = engine()) {
            Varargs r = run(e, String.join("\n",
                    "local order = {}",
                    "local t = spawn(function()",
                    "  defer(function() order[#order + 1] = 'first' end)",
                    "  defer(function() error('clean-up failed') end)",
                    "  defer(function() order[#order + 1] = 'last' end)",
                    "  return 'result'",
                    "end)",
                    "return t:await(), table.concat(order, ' ')"));
            assertEquals("result", r.arg1().tojstring(), "a failing clean-up does not change the task's outcome");
            assertEquals("last first", r.arg(2).tojstring());
        }
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage().contains("clean-up failed"), errors.get(0).getMessage());
    }

    @Test
    void deferOutsideATaskIsAnError() throws Exception {
        try (Engine e = engine()) {
            String msg = e.call(() -> {
                LuaValue chunk = e.compile("local ok, err = pcall(defer, function() end) return err", "outside.lua",
                        null);
                return chunk.call().tojstring(); // run by the loop itself, outside any task
            });
            assertTrue(msg.contains("defer outside a task"), msg);
        }
    }
}
