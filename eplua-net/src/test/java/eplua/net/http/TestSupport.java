package eplua.net.http;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.luaj.vm2.Varargs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers for tests that drive an engine from Java and talk to independent peers (curl, python3, openssl). */
public final class TestSupport {
    private TestSupport() {}

    /** An engine whose callback errors are collected (assert {@link #errors} empty at the end). */
    public static final class Lua implements AutoCloseable {
        public final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        public final Engine engine = Engine.builder().keepJvmAlive(false).errorHandler(errors::add).build();

        /** A global Lua function {@code name(v)} that completes the returned future with {@code tostring(v)}. */
        public java.util.concurrent.CompletableFuture<String> signal(String name) {
            java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
            engine.call(() -> {
                engine.globals().set(name, new org.luaj.vm2.lib.OneArgFunction() {
                    @Override
                    public org.luaj.vm2.LuaValue call(org.luaj.vm2.LuaValue v) {
                        f.complete(v.tojstring());
                        return NIL;
                    }
                });
                return null;
            });
            return f;
        }

        /** Runs a chunk as a task and returns its results. */
        public Varargs run(String script) throws Exception {
            return engine.eval(script, "test.lua").get(30, TimeUnit.SECONDS);
        }

        /** Stops the global {@code srv} if a test started one, checks that the engine goes idle, closes it. */
        public void stopServerAndClose() throws Exception {
            try {
                run("if srv then srv:stop() end");
                assertIdle();
            } finally {
                close();
            }
        }

        public void assertIdle() throws InterruptedException {
            assertTrue(engine.awaitIdle(Duration.ofSeconds(10)), "engine did not go idle");
            assertTrue(errors.isEmpty(), "errors reported: " + errors);
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    /** Result of a finished process: exit code and stdout (stderr merged). */
    public static final class Proc {
        public final int exit;
        public final String out;

        Proc(int exit, String out) {
            this.exit = exit;
            this.out = out;
        }
    }

    /** Runs a command to completion (60 s at most). */
    public static Proc exec(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    /** A self-signed certificate (cert.pem, key.pem as PKCS#8) for {@code cn}, valid for localhost and 127.0.0.1. */
    public static Path selfSigned(Path dir, String cn, String san) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Proc p = exec(cmd("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + san), null);
        assertEquals(0, p.exit, "openssl failed: " + p.out);
        return dir;
    }

    /** Lua string literal for a path (forward slashes, escaped). */
    public static String lit(Object s) {
        return "\"" + s.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
