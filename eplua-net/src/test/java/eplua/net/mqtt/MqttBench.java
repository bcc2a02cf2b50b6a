package eplua.net.mqtt;

import eplua.core.Engine;
import eplua.core.testing.DevScripts;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): messages/s from a Lua publisher through mosquitto to a Lua subscriber
 * ({@code dev/bench/mqtt/pubsub.lua}), against {@code mosquitto_pub -l} to {@code mosquitto_sub} in the same run and
 * on the same broker. Run with {@code dev/bench/mqtt/run.sh [N] [rounds]}.
 */
public final class MqttBench {
    private MqttBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int size = 32;
        String script = Files.readString(DevScripts.root().resolve("dev/bench/mqtt/pubsub.lua"));
        // unlimited queues: a fast publisher must not make the broker drop messages for the subscriber
        Mosquitto.Config cfg = new Mosquitto.Config().line("max_queued_messages 0").line("max_inflight_messages 0");
        try (Mosquitto b = Mosquitto.start(cfg)) {
            System.out.printf("mosquitto on port %d, N=%d messages of %d bytes, %d rounds (medians)%n", b.port(), n, size, rounds);
            for (int qos = 0; qos <= 1; qos++) {
                lua(b, script, Math.min(n, 5000), qos, size); // warm-up
                double[] l = new double[rounds];
                double[] c = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    l[r] = lua(b, script, n, qos, size);
                    c[r] = cli(b, n, qos, size);
                }
                double lm = median(l);
                double cm = median(c);
                System.out.printf("QoS %d: eplua %,.0f msg/s, mosquitto_pub->mosquitto_sub %,.0f msg/s, ratio eplua/cli %.2f  (eplua %s, cli %s)%n",
                        qos, lm, cm, lm / cm, round(l), round(c));
            }
        }
    }

    /** One Lua run: messages/s from the first publish to the last message received. */
    static double lua(Mosquitto b, String script, int n, int qos, int size) throws Exception {
        CompletableFuture<double[]> done = new CompletableFuture<>();
        try (Engine e = Engine.builder().name("mqtt-bench").output(new java.io.PrintWriter(System.out, true)).keepJvmAlive(false).discoverModules(false)
                .modules(List.of(new MqttModule())).build()) {
            e.join(e.submit(() -> {
                LuaValue g = e.globals();
                g.set("MQTT_URL", "mqtt://127.0.0.1:" + b.port());
                g.set("N", n);
                g.set("QOS", qos);
                g.set("SIZE", size);
                g.set("NOW", new ZeroArgFunction() {
                    @Override
                    public LuaValue call() {
                        return LuaValue.valueOf(System.nanoTime() / 1e9);
                    }
                });
                g.set("DONE", new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs a) {
                        done.complete(new double[] {a.arg(1).todouble(), a.arg(2).todouble(), a.arg(3).todouble()});
                        return NONE;
                    }
                });
                return null;
            }));
            CompletableFuture<Varargs> run = e.eval(script, "dev/bench/mqtt/pubsub.lua");
            double[] r = done.get(120, TimeUnit.SECONDS);
            run.get(60, TimeUnit.SECONDS);
            if (r[2] < n) System.out.printf("  eplua QoS %d: only %.0f of %d messages arrived%n", qos, r[2], n);
            return r[2] / (r[1] - r[0]);
        }
    }

    /**
     * One command-line run: mosquitto_sub (subscribed, as shown by a retained "ready" message it prints) counts N
     * messages that {@code mosquitto_pub -l} sends, one per stdin line.
     */
    static double cli(Mosquitto b, int n, int qos, int size) throws Exception {
        b.pub("-t", "bench/ready", "-m", "ready", "-r", "-q", "1");
        String port = String.valueOf(b.port());
        Process sub = new ProcessBuilder(Mosquitto.find("mosquitto_sub"), "-h", "127.0.0.1", "-p", port,
                "-t", "bench/c", "-t", "bench/ready", "-q", String.valueOf(qos), "-C", String.valueOf(n + 1))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!"ready".equals(first)) throw new IllegalStateException("mosquitto_sub said: " + first);
            byte[] line = ("x".repeat(size) + "\n").getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            Process pub = new ProcessBuilder(Mosquitto.find("mosquitto_pub"), "-h", "127.0.0.1", "-p", port,
                    "-t", "bench/c", "-q", String.valueOf(qos), "-l").redirectErrorStream(true).start();
            Thread feeder = new Thread(() -> {
                try (OutputStream os = pub.getOutputStream()) {
                    byte[] chunk = new byte[line.length * 1000];
                    for (int i = 0; i < 1000; i++) System.arraycopy(line, 0, chunk, i * line.length, line.length);
                    for (int i = 0; i < n / 1000; i++) os.write(chunk);
                    for (int i = 0; i < n % 1000; i++) os.write(line);
                } catch (Exception ignored) {
                    // the publisher died; the count below shows it
                }
            });
            feeder.start();
            int got = 0;
            while (out.readLine() != null) got++;
            long t1 = System.nanoTime();
            pub.waitFor(30, TimeUnit.SECONDS);
            pub.destroy();
            feeder.join(5000);
            if (got < n) System.out.printf("  cli QoS %d: only %d of %d messages arrived%n", qos, got, n);
            return got / ((t1 - t0) / 1e9);
        } finally {
            sub.destroyForcibly();
            b.pub("-t", "bench/ready", "-r", "-n"); // clear the retained marker
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static List<Long> round(double[] v) {
        List<Long> out = new ArrayList<>();
        for (double d : v) out.add(Math.round(d));
        return out;
    }
}
