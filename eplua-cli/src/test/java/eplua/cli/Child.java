package eplua.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code eplua} (or jrunscript) in a child JVM on the test class path, feeds stdin, and records every stdout
 * line with the time it arrived and the time the process exited, so tests can assert how soon it ends.
 */
final class Child {
    static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    static final String CLASS_PATH = System.getProperty("java.class.path");
    static final Path ROOT = Path.of(System.getProperty("eplua.root", "..")).toAbsolutePath().normalize();
    private static final long TIMEOUT_S = 30;

    /** One stdout line and when it arrived (System.nanoTime). */
    static final class Line {
        final String text;
        final long at;

        Line(String text, long at) {
            this.text = text;
            this.at = at;
        }
    }

    final int exit;
    final List<Line> out;
    final String err;
    final long started;
    final long exited;

    private Child(int exit, List<Line> out, String err, long started, long exited) {
        this.exit = exit;
        this.out = out;
        this.err = err;
        this.started = started;
        this.exited = exited;
    }

    static Child eplua(String stdin, String... args) {
        return epluaWithStdinBytes(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** As {@link #eplua(String, String...)}, with these exact bytes on stdin. */
    static Child epluaWithStdinBytes(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString(), "-cp", CLASS_PATH,
                "eplua.cli.Main"));
        cmd.addAll(List.of(args));
        return start(cmd, stdin);
    }

    /**
     * {@code eplua args}, sent a signal ("INT", "TERM") each time it prints a line that {@code signals} maps to one, as
     * a user pressing Ctrl-C or a service manager stopping it would.
     */
    static Child epluaSignalled(Map<String, String> signals, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString(), "-cp", CLASS_PATH,
                "eplua.cli.Main"));
        cmd.addAll(List.of(args));
        return start(cmd, null, Map.of(), ROOT, (line, p) -> {
            String sig = signals.get(line);
            if (sig == null || !p.isAlive()) return; // never a pid the system may have given to another process
            try {
                new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot signal the child", e);
            }
        });
    }

    /** {@code eplua args} on the test class path, with {@code env} added to the environment, in {@code dir}. */
    static Child epluaWith(Map<String, String> env, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString(), "-cp", CLASS_PATH,
                "eplua.cli.Main"));
        cmd.addAll(List.of(args));
        return start(cmd, null, env, dir);
    }

    /** {@code java -jar eplua.jar args}: the all-in-one jar alone, as users run it. */
    static Child jar(Path jar, Map<String, String> env, Path dir, String... args) {
        return jar(jar, List.of(), env, dir, args);
    }

    /** {@code java jvmOptions -jar eplua.jar args}. */
    static Child jar(Path jar, List<String> jvmOptions, Map<String, String> env, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return start(cmd, null, env, dir);
    }

    /** {@code eplua args} on the test class path, in a JVM started with {@code jvmOptions}. */
    static Child epluaInJvm(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", CLASS_PATH, "eplua.cli.Main"));
        cmd.addAll(List.of(args));
        return start(cmd, null);
    }

    static Path jrunscript() {
        return JAVA_BIN.resolve("jrunscript");
    }

    static Child jrunscript(String... args) {
        List<String> cmd = new ArrayList<>(List.of(jrunscript().toString(), "-cp", CLASS_PATH, "-l", "eplua"));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    static Path script(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static Child run(List<String> cmd, String stdin) {
        return start(cmd, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
    }

    private static Child start(List<String> cmd, byte[] stdin) {
        return start(cmd, stdin, Map.of(), ROOT);
    }

    private static Child start(List<String> cmd, byte[] stdin, Map<String, String> env, Path dir) {
        return start(cmd, stdin, env, dir, (line, p) -> { });
    }

    private static Child start(List<String> cmd, byte[] stdin, Map<String, String> env, Path dir,
                               java.util.function.BiConsumer<String, Process> onLine) {
        try {
            long started = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            // the children must not pick up the module path or Lua path of whoever runs the tests
            pb.environment().keySet().removeAll(List.of("EPLUA_MODULES", "LUA_PATH", "LUA_PATH_5_2"));
            pb.environment().putAll(env);
            Process p = pb.start();
            List<Line> out = new ArrayList<>();
            StringBuilder err = new StringBuilder();
            Thread outReader = reader(p.getInputStream(), line -> {
                synchronized (out) {
                    out.add(new Line(line, System.nanoTime()));
                }
                onLine.accept(line, p);
            });
            Thread errReader = reader(p.getErrorStream(), line -> {
                synchronized (err) {
                    err.append(line).append('\n');
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // the child may have exited without reading stdin
            }
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                outReader.join(2000);
                errReader.join(2000);
                fail("child did not exit within " + TIMEOUT_S + " s: " + cmd + "\nstdout: " + texts(out) + "\nstderr: " + err);
            }
            long exited = System.nanoTime();
            outReader.join(5000);
            errReader.join(5000);
            return new Child(p.exitValue(), out, err.toString(), started, exited);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface LineSink {
        void accept(String line);
    }

    private static Thread reader(InputStream s, LineSink sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) sink.accept(line);
            } catch (IOException ignored) {
                // the stream closed with the process
            }
        }, "child-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static List<String> texts(List<Line> lines) {
        synchronized (lines) {
            return lines.stream().map(l -> l.text).collect(Collectors.toList());
        }
    }

    List<String> lines() {
        return texts(out);
    }

    /** Milliseconds from the last stdout line to the exit of the process. */
    long msFromLastLineToExit() {
        if (out.isEmpty()) throw new AssertionError("no output; stderr: " + err);
        return TimeUnit.NANOSECONDS.toMillis(exited - out.get(out.size() - 1).at);
    }

    /** Milliseconds from the first stdout line whose text is {@code text} to the exit of the process. */
    long msFromLineToExit(String text) {
        for (Line l : out) if (l.text.equals(text)) return TimeUnit.NANOSECONDS.toMillis(exited - l.at);
        throw new AssertionError("no line '" + text + "' in " + lines() + "; stderr: " + err);
    }

    @Override
    public String toString() {
        return "exit " + exit + ", stdout " + lines() + ", stderr: " + err;
    }
}
