package eplua.net.many;

import eplua.core.Engine;
import eplua.core.FiberMode;
import eplua.core.LoopGroup;
import eplua.core.LuaScriptException;
import eplua.core.convert.LuaConvert;
import eplua.core.testing.ManyEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 1,000 engines (or {@code -Deplua.test.engines=N}) in one JVM on the shared loop group, each with a timer, a task
 * suspended on an await and then a sleep, and a TCP echo server: every timer fires, every task resumes with its own
 * value, every server echoes a real connection from this test, and the JVM's live platform threads stay at the
 * group's loops plus a few, whatever the engine count. On Java 17 a suspended task holds a platform thread of its
 * own (fiber mode platform): there the bound grows by exactly one thread per suspended task.
 */
class ThousandEnginesShareFewLoops {
    private static final int ENGINES = ManyEngines.COUNT;
    private static final String ECHO_SERVER = String.join("\n",
            "local srv = net.TCPServer()",
            "local port = assert(srv:start('127.0.0.1', 0, function(c)",
            "  local function loop()",
            "    c:read({success = function(d) c:send(d, {success = loop}) end, error = function() c:close() end})",
            "  end",
            "  loop()",
            "end))",
            "setTimeout(function() fired() end, 5)",
            "return port");
    private static final String SUSPENDED_TASK = String.join("\n",
            "spawn(function()",
            "  waiting()",
            "  local v = await(gate)",
            "  sleep(0.001)",
            "  resumed(v)",
            "end)");

    private final List<Engine> engines = new ArrayList<>();
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        for (Engine e : engines) e.close();
        assertTrue(errors.isEmpty(), () -> "errors reported: " + errors);
    }

    @Test
    void everyEngineFiresItsTimerResumesItsTaskAndEchoes() throws Exception {
        int loops = LoopGroup.shared().loops();
        int threads0 = ManyEngines.liveThreads();
        CountDownLatch timers = new CountDownLatch(ENGINES);
        CountDownLatch waiting = new CountDownLatch(ENGINES);
        CountDownLatch resumed = new CountDownLatch(ENGINES);
        AtomicInteger wrongValue = new AtomicInteger();
        List<CompletableFuture<Object>> gates = new ArrayList<>();
        int[] ports = new int[ENGINES];
        for (int i = 0; i < ENGINES; i++) {
            Engine e = Engine.builder().name("many-" + i).keepJvmAlive(false).errorHandler(errors::add).build();
            engines.add(e);
            int me = i;
            ManyEngines.define(e, "fired", args -> {
                timers.countDown();
                return LuaValue.NONE;
            });
            ManyEngines.define(e, "waiting", args -> {
                waiting.countDown();
                return LuaValue.NONE;
            });
            ManyEngines.define(e, "resumed", args -> {
                if (args.arg1().toint() != me) wrongValue.incrementAndGet();
                resumed.countDown();
                return LuaValue.NONE;
            });
            CompletableFuture<Object> gate = new CompletableFuture<>();
            gates.add(gate);
            e.call(() -> {
                e.globals().set("gate", LuaConvert.toLua(gate));
                return null;
            });
            ports[i] = e.eval(ECHO_SERVER, "server.lua").get(30, TimeUnit.SECONDS).arg1().toint();
            assertTrue(ports[i] > 0, "engine " + i + " reported its port");
        }
        assertTrue(timers.await(60, TimeUnit.SECONDS), "timers not fired: " + timers.getCount());
        ManyEngines.assertThreadsAdded(threads0, loops, 0, ENGINES + " engines with servers, no suspended task");

        for (Engine e : engines) e.eval(SUSPENDED_TASK, "task.lua");
        assertTrue(waiting.await(60, TimeUnit.SECONDS), "tasks not started: " + waiting.getCount());
        // every engine echoes a real connection while its task is suspended
        for (int i = 0; i < ENGINES; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", ports[i]), 10_000);
                s.setSoTimeout(10_000);
                byte[] out = ("hello engine " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream o = s.getOutputStream();
                o.write(out);
                o.flush();
                byte[] back = new byte[out.length];
                new DataInputStream(s.getInputStream()).readFully(back);
                assertArrayEquals(out, back, "engine " + i + " echoed");
            }
        }
        // a suspended task holds a platform thread in fiber mode platform (Java 17), none otherwise
        int suspended = engines.get(0).fiberMode() == FiberMode.PLATFORM ? ENGINES : 0;
        ManyEngines.assertThreadsAdded(threads0, loops, suspended,
                ENGINES + " engines with suspended tasks, fiber mode " + engines.get(0).fiberMode());

        for (int i = 0; i < ENGINES; i++) gates.get(i).complete(i);
        assertTrue(resumed.await(60, TimeUnit.SECONDS), "tasks not resumed: " + resumed.getCount());
        assertEquals(0, wrongValue.get(), "tasks resumed with another engine's value");
    }
}
