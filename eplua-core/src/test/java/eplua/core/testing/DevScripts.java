package eplua.core.testing;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the Lua-level tests under {@code dev/tests/AREA/*.lua}: one JUnit dynamic test per script. Each script runs in
 * a fresh engine with {@code dev/lib/testlib.lua} as the global {@code T}; it passes when its main chunk finishes
 * without error, the engine then goes idle, no callback or task reported an error, and every {@code T.expect}
 * checkpoint was hit exactly as often as declared.
 */
public final class DevScripts {
    private DevScripts() {}

    /** The repository root (where dev/ is). */
    public static Path root() {
        String p = System.getProperty("eplua.root");
        Path start = p != null ? Paths.get(p) : Paths.get(System.getProperty("user.dir"));
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("dev/lib"))) return d;
        }
        throw new IllegalStateException("cannot find the dev/ folder above " + start);
    }

    /** One dynamic test per script in dev/tests/{area}. */
    public static Stream<DynamicTest> tests(String area) throws IOException {
        return tests(area, b -> {});
    }

    /** As {@link #tests(String)}, each engine built with {@code settings} applied to its builder too. */
    public static Stream<DynamicTest> tests(String area, Consumer<Engine.Builder> settings) throws IOException {
        Path dir = root().resolve("dev/tests").resolve(area);
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dir)) {
            scripts = s.filter(f -> f.toString().endsWith(".lua")).sorted().collect(Collectors.toList());
        }
        assertTrue(!scripts.isEmpty(), "no Lua tests in " + dir);
        return scripts.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(),
                () -> run(f, Duration.ofSeconds(60), settings)));
    }

    /** Runs one script as described above; returns what it printed. */
    public static String run(Path script, Duration timeout) throws Exception {
        return run(script, timeout, b -> {});
    }

    /** As {@link #run(Path, Duration)}, the engine built with {@code settings} applied to its builder too. */
    public static String run(Path script, Duration timeout, Consumer<Engine.Builder> settings) throws Exception {
        Path root = root();
        StringWriter out = new StringWriter();
        List<LuaScriptException> errors = new CopyOnWriteArrayList<>();
        Engine.Builder builder = Engine.builder().name("test-" + script.getFileName()).output(out).keepJvmAlive(false)
                .errorHandler(errors::add);
        settings.accept(builder);
        try (Engine engine = builder.build()) {
            String lib = Files.readString(root.resolve("dev/lib/testlib.lua"), StandardCharsets.UTF_8);
            engine.join(engine.submit(() -> {
                engine.globals().set("T", engine.compile(lib, "dev/lib/testlib.lua", null).call());
                engine.globals().set("DEV_ROOT", root.toString());
                return null;
            }));
            String name = root.relativize(script.toAbsolutePath()).toString().replace('\\', '/');
            try {
                engine.eval(Files.readString(script, StandardCharsets.UTF_8), name)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                String detail = c instanceof LuaScriptException ? ((LuaScriptException) c).describe() : String.valueOf(c);
                fail(name + " failed: " + detail + "\n--- output ---\n" + out);
            }
            if (!engine.awaitIdle(timeout)) fail(name + ": engine still busy after " + timeout + "\n" + out);
            if (!errors.isEmpty()) {
                fail(name + ": errors reported by callbacks or tasks:\n" + errors.stream()
                        .map(LuaScriptException::describe).collect(Collectors.joining("\n")) + "\n--- output ---\n" + out);
            }
            Object finished = engine.join(engine.submit(() ->
                    engine.globals().get("T").get("_finish").call().toboolean()));
            assertEquals(Boolean.TRUE, finished);
        }
        return out.toString();
    }
}
