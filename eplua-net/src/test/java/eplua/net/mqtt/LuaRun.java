package eplua.net.mqtt;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import eplua.core.convert.LuaConvert;
import eplua.core.testing.DevScripts;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a Lua test script in a fresh engine with the dev test library as {@code T} and the given globals, like
 * {@link DevScripts}, plus {@code HOST(name)} -> future: a request to the Java test (taken with {@link #next}), which
 * answers with {@link Request#reply} while the script awaits.
 */
final class LuaRun implements AutoCloseable {
    /** A script's request to the Java side. */
    static final class Request {
        final String name;
        final CompletableFuture<Object> reply;

        Request(String name, CompletableFuture<Object> reply) {
            this.name = name;
            this.reply = reply;
        }

        void reply(Object v) {
            reply.complete(v);
        }
    }

    private final Engine engine;
    private final StringWriter out = new StringWriter();
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final String name;
    private CompletableFuture<Varargs> done;

    LuaRun(String name, Map<String, Object> globals) throws Exception {
        this(name, globals, false);
    }

    /**
     * {@code allModules}: every module on the class path, as a host gets them; otherwise only the MQTT module, so
     * these tests do not depend on the state of the other network modules.
     */
    LuaRun(String name, Map<String, Object> globals, boolean allModules) throws Exception {
        this.name = name;
        Engine.Builder b = Engine.builder().name(name).output(out).keepJvmAlive(false).errorHandler(errors::add);
        if (!allModules) b.discoverModules(false).modules(List.of(new MqttModule()));
        engine = b.build();
        String lib = Files.readString(DevScripts.root().resolve("dev/lib/testlib.lua"), StandardCharsets.UTF_8);
        engine.join(engine.submit(() -> {
            engine.globals().set("T", engine.compile(lib, "dev/lib/testlib.lua", null).call());
            engine.globals().set("DEV_ROOT", DevScripts.root().toString());
            engine.globals().set("HOST", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue n) {
                    CompletableFuture<Object> f = new CompletableFuture<>();
                    requests.add(new Request(n.checkjstring(), f));
                    return LuaConvert.toLua(f);
                }
            });
            for (Map.Entry<String, Object> e : globals.entrySet()) engine.globals().set(e.getKey(), LuaConvert.toLua(e.getValue()));
            return null;
        }));
    }

    /** Starts the script. */
    LuaRun start(String script) {
        done = engine.eval(script, name);
        return this;
    }

    /** The script's next request (it must come within 15 s). */
    Request next(String expected) throws InterruptedException {
        Request r = requests.poll(15, TimeUnit.SECONDS);
        assertNotNull(r, name + ": no HOST(\"" + expected + "\") request; output:\n" + out + failure());
        assertEquals(expected, r.name);
        return r;
    }

    private String failure() {
        if (done != null && done.isCompletedExceptionally()) {
            try {
                done.join();
            } catch (RuntimeException e) {
                Throwable c = e.getCause();
                return "\nfailed: " + (c instanceof LuaScriptException ? ((LuaScriptException) c).describe() : String.valueOf(c));
            }
        }
        return "";
    }

    /** Waits for the script, the engine to go idle, no reported errors and complete checkpoints; returns the output. */
    String finish(Duration timeout) throws Exception {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            fail(name + " failed: " + (c instanceof LuaScriptException ? ((LuaScriptException) c).describe() : String.valueOf(c))
                    + "\n--- output ---\n" + out);
        }
        assertTrue(engine.awaitIdle(timeout), name + ": engine still busy after " + timeout + "\n" + out);
        if (!errors.isEmpty()) {
            fail(name + ": errors reported by callbacks or tasks:\n"
                    + errors.stream().map(LuaScriptException::describe).collect(Collectors.joining("\n")) + "\n--- output ---\n" + out);
        }
        Object finished = engine.join(engine.submit(() -> engine.globals().get("T").get("_finish").call().toboolean()));
        assertEquals(Boolean.TRUE, finished);
        return out.toString();
    }

    /** Runs a whole script that needs no Java interaction. */
    static String run(String name, Map<String, Object> globals, String script) throws Exception {
        try (LuaRun r = new LuaRun(name, globals)) {
            return r.start(script).finish(Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
