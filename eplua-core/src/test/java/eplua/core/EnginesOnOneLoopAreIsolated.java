package eplua.core;

import eplua.core.testing.ManyEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two engines on a one-loop group share its thread and nothing else: each keeps its globals, its string metatable,
 * its errors and its lifetime to itself, and they take turns on the loop (never both in Lua at once). The price of
 * sharing, pinned here as documented behaviour: a slow callback in one delays the other's due timers until it ends.
 */
class EnginesOnOneLoopAreIsolated {
    private LoopGroup group;
    private Engine a;
    private Engine b;
    private final List<LuaScriptException> errorsA = new CopyOnWriteArrayList<>();
    private final List<LuaScriptException> errorsB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        group = LoopGroup.create(1);
        a = Engine.builder().name("iso-a").gracePeriod(Duration.ZERO).loopGroup(group).keepJvmAlive(false)
                .errorHandler(errorsA::add).build();
        b = Engine.builder().name("iso-b").loopGroup(group).keepJvmAlive(false).errorHandler(errorsB::add).build();
        assertEquals(a.loopName(), b.loopName(), "both engines run on the group's one loop");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        group.close();
    }

    private static Varargs run(Engine e, String script) throws Exception {
        return e.eval(script, e.name() + ".lua").get(20, TimeUnit.SECONDS);
    }

    @Test
    void globalsAndTheStringMetatableAreEachEnginesOwn() throws Exception {
        run(a, "x = 'a'\nfunction only_in_a() return 1 end\nprint = nil\nstring.shout = string.upper\n"
                + "getmetatable('').__index.mark = 'a'\n"
                + "getmetatable('').__index = setmetatable({swapped = 'a'}, {__index = string})");
        Varargs seen = run(b, "return x, only_in_a, type(print), string.shout, ('s').mark,\n"
                + "  getmetatable('').__index == string, ('s').swapped, ('s'):upper()");
        assertTrue(seen.arg(1).isnil(), "a's global x seen in b");
        assertTrue(seen.arg(2).isnil(), "a's function seen in b");
        assertEquals("function", seen.arg(3).tojstring(), "a removing print removed b's");
        assertTrue(seen.arg(4).isnil(), "a's string.shout seen in b");
        assertTrue(seen.arg(5).isnil(), "a's string metatable change seen in b");
        assertTrue(seen.arg(6).toboolean(), "b's strings index b's own string table");
        assertTrue(seen.arg(7).isnil(), "a's replaced __index seen in b");
        assertEquals("S", seen.arg(8).tojstring());
        Varargs own = run(a, "return ('s').mark, ('s').swapped, ('s'):shout()");
        assertEquals("a", own.arg(1).tojstring(), "a keeps its own changes");
        assertEquals("a", own.arg(2).tojstring());
        assertEquals("S", own.arg(3).tojstring());

        // interleaved on the one loop: every timer callback sees its own engine's metatable, never the other's
        int n = 200;
        CountDownLatch done = new CountDownLatch(2 * n);
        AtomicInteger wrong = new AtomicInteger();
        for (Engine e : List.of(a, b)) {
            ManyEngines.define(e, "check", args -> {
                if (!args.arg1().toboolean()) wrong.incrementAndGet();
                done.countDown();
                return LuaValue.NONE;
            });
        }
        run(b, "getmetatable('').__index.mark = 'b'");
        String timers = "local me = ('s').mark\nfor i = 1, " + n + " do\n"
                + "  setTimeout(function() check(('s').mark == me and x == me) end, i % 7)\nend";
        run(b, "x = 'b'\n" + timers);
        run(a, timers);
        assertTrue(done.await(20, TimeUnit.SECONDS), "every timer fired");
        assertEquals(0, wrong.get(), "timer callbacks that saw the other engine's globals or string metatable");
        assertTrue(errorsA.isEmpty() && errorsB.isEmpty(), () -> "errors: " + errorsA + errorsB);
    }

    @Test
    void errorsInOneReachOnlyItsOwnHandler() throws Exception {
        run(b, "count = 0\nsetInterval(function() count = count + 1 end, 1)");
        LuaScriptException thrown = assertThrows(LuaScriptException.class,
                () -> a.join(a.eval("error('boom in a')", "a.lua")));
        assertTrue(thrown.getMessage().contains("boom in a"), thrown.getMessage());
        // a Lua stack overflow and an error in a callback nobody awaits
        LuaScriptException deep = assertThrows(LuaScriptException.class, () -> a.join(a.eval(
                "local function f(n) return 1 + f(n + 1) end return f(1)", "deep.lua")));
        assertTrue(deep.getMessage().contains("stack overflow"), deep.getMessage());
        run(a, "setTimeout(function() error('timer boom in a') end, 0)");
        assertTrue(a.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(1, errorsA.size(), () -> "a's handler got its timer's error: " + errorsA);
        assertTrue(errorsA.get(0).getMessage().contains("timer boom in a"), errorsA.get(0).getMessage());
        // b went on through all of it, and reported nothing
        Varargs r = run(b, "local c0 = count\nsleep(0.02)\nreturn count > c0");
        assertTrue(r.arg1().toboolean(), "b's interval kept firing");
        assertTrue(errorsB.isEmpty(), () -> "b's handler got: " + errorsB);
        assertEquals(2, run(a, "return 1 + 1").arg1().toint(), "a still works after its errors");
    }

    @Test
    void closingOneLeavesTheOtherRunningOnTheLoop() throws Exception {
        AtomicInteger firedInA = new AtomicInteger();
        ManyEngines.define(a, "fired", args -> {
            firedInA.incrementAndGet();
            return LuaValue.NONE;
        });
        CompletableFuture<Object> never = new CompletableFuture<>();
        a.call(() -> {
            a.globals().set("never", eplua.core.convert.LuaConvert.toLua(never));
            return null;
        });
        run(a, "setTimeout(fired, 20)\nsetInterval(fired, 5)\nspawn(function() await(never) fired() end)\n"
                + "spawn(function() sleep(0.02) fired() end)");
        run(b, "later = {}\nsetTimeout(function() later.timer = true end, 60)");
        a.close(); // its task waiting on never is cancelled once the grace period (zero here) ends
        assertTrue(a.isClosed());
        int before = firedInA.get();
        assertThrows(IllegalStateException.class, () -> a.eval("return 1", "closed.lua"));
        // b, on the same loop: its timer set before a's close fires after a's would have, and new work runs
        Varargs r = run(b, "while not later.timer do sleep(0.01) end\n"
                + "local t = spawn(function(x) sleep(0.01) return x * 2 end, 21)\nreturn t:await()");
        assertEquals(42, r.arg1().toint());
        assertEquals(before, firedInA.get(), "a's timers, interval or tasks ran after its close");
        assertTrue(b.awaitIdle(Duration.ofSeconds(10)));
        assertTrue(errorsB.isEmpty(), () -> "b's handler got: " + errorsB);
    }

    @Test
    void theyNeverRunLuaAtTheSameMoment() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int n = 300;
        int invokes = 100;
        CountDownLatch done = new CountDownLatch(2 * (n + invokes));
        for (Engine e : List.of(a, b)) {
            ManyEngines.define(e, "enter", args -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                return LuaValue.NONE;
            });
            ManyEngines.define(e, "leave", args -> {
                inside.decrementAndGet();
                done.countDown();
                return LuaValue.NONE;
            });
        }
        // timers due together and tasks yielding to each other, each doing a little work between enter and leave;
        // meanwhile a host thread per engine invokes the same work (the javax.script path, entered from that thread)
        List<LuaValue> busy = new ArrayList<>();
        for (Engine e : List.of(a, b))
            busy.add(run(e, "return function() enter() local s = 0 for k = 1, 2000 do s = s + k end leave() end")
                    .arg1());
        String work = "local busy = ...\n"
                + "for i = 1, " + (n / 2) + " do setTimeout(busy, i % 5) end\n"
                + "for i = 1, " + (n / 2) + " do spawn(function() yield() busy() end) end";
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Engine e = k == 0 ? a : b;
            LuaValue fn = busy.get(k);
            all.add(e.spawn(e.call(() -> e.compile(work, e.name() + ".lua", null)), fn));
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < invokes; i++) e.invoke(fn, LuaValue.NONE);
            }, r -> new Thread(r, "host-" + e.name()).start()));
        }
        for (CompletableFuture<?> f : all) f.get(20, TimeUnit.SECONDS);
        assertTrue(done.await(20, TimeUnit.SECONDS), "all callbacks, tasks and invokes ran");
        assertEquals(1, most.get(), "two engines of one loop were in Lua at the same moment");
    }

    @Test
    void aSlowCallbackInOneDelaysTheOthersTimers() throws Exception {
        CountDownLatch aIsBusy = new CountDownLatch(1);
        AtomicBoolean aFinished = new AtomicBoolean();
        ManyEngines.define(a, "busy_now", args -> {
            aIsBusy.countDown();
            return LuaValue.NONE;
        });
        ManyEngines.define(a, "busy_done", args -> {
            aFinished.set(true);
            return LuaValue.NONE;
        });
        CompletableFuture<Boolean> sawAFinished = new CompletableFuture<>();
        ManyEngines.define(b, "observe", args -> {
            sawAFinished.complete(aFinished.get());
            return LuaValue.NONE;
        });
        // a holds the loop for 300 ms of CPU; b's timer, due at once, can only run after
        CompletableFuture<Varargs> slow = a.eval("busy_now()\nlocal t = os.clock() + 0.3\n"
                + "while os.clock() < t do end\nbusy_done()", "slow.lua");
        assertTrue(aIsBusy.await(20, TimeUnit.SECONDS));
        b.eval("setTimeout(observe, 0)", "b.lua");
        assertTrue(sawAFinished.get(20, TimeUnit.SECONDS), "b's due timer ran while a held the shared loop");
        slow.get(20, TimeUnit.SECONDS);
    }
}
