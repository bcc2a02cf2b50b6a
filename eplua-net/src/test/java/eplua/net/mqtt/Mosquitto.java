package eplua.net.mqtt;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private mosquitto broker for a test: its own config in a temp dir, a free 127.0.0.1 port, started as a process
 * and destroyed on {@link #close()}. Never the system service. A missing binary fails the test with a clear message
 * (CI installs Debian's {@code mosquitto} and {@code mosquitto-clients}). Also runs {@code mosquitto_pub}/{@code _sub}
 * and makes a throw-away CA and server certificate with the openssl CLI.
 */
public final class Mosquitto implements AutoCloseable {
    private static final String[] DIRS = {"/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin"};

    /** Broker options: credentials, TLS files. */
    public static final class Config {
        String user;
        String password;
        Path caFile;
        Path certFile;
        Path keyFile;
        final List<String> extra = new ArrayList<>();

        /** An extra line for mosquitto.conf (e.g. "max_queued_messages 0"). */
        public Config line(String configLine) {
            extra.add(configLine);
            return this;
        }

        public Config auth(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Config tls(Certs certs) {
            this.caFile = certs.ca;
            this.certFile = certs.cert;
            this.keyFile = certs.key;
            return this;
        }
    }

    /** A test CA and a server certificate for 127.0.0.1 and localhost (subjectAltName), made with openssl. */
    public static final class Certs {
        public final Path ca;
        public final Path cert;
        public final Path key;

        private Certs(Path dir) {
            ca = dir.resolve("ca.crt");
            cert = dir.resolve("server.crt");
            key = dir.resolve("server.key");
        }

        public static Certs make(Path dir) throws IOException, InterruptedException {
            Files.writeString(dir.resolve("ext.cnf"),
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
            String openssl = find("openssl");
            exec(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=eplua test CA");
            exec(dir, openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            exec(dir, openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
            readableByBroker(dir);
            return new Certs(dir);
        }
    }

    private final Path dir;
    private final Config config;
    private final int port;
    private Process process;

    private Mosquitto(Config config) throws IOException {
        this.config = config;
        this.dir = Files.createTempDirectory("eplua-mosquitto");
        this.port = freePort();
    }

    /** Starts an anonymous broker on a free port. */
    public static Mosquitto start() throws Exception {
        return start(new Config());
    }

    public static Mosquitto start(Config config) throws Exception {
        Mosquitto m = new Mosquitto(config);
        try {
            m.writeConfig();
            m.launch();
        } catch (Exception | Error e) {
            m.close();
            throw e;
        }
        return m;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the broker (SIGTERM: its clients see their connections close) and starts it again on the same port. */
    public void restart() throws Exception {
        stopProcess();
        launch();
    }

    /** Stops the broker process, keeping the temp dir (for {@link #restart()}). */
    public void stopProcess() throws InterruptedException {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stopProcess();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private void writeConfig() throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        c.add("listener " + port + " 127.0.0.1");
        c.add("persistence false");
        c.add("log_dest stdout");
        c.add("log_type error");
        c.add("log_type warning");
        c.add("log_type notice");
        if (config.user != null) {
            Path pw = dir.resolve("passwd");
            exec(dir, find("mosquitto_passwd"), "-b", "-c", pw.toString(), config.user, config.password);
            c.add("allow_anonymous false");
            c.add("password_file " + pw);
        } else {
            c.add("allow_anonymous true");
        }
        if (config.certFile != null) {
            c.add("cafile " + config.caFile);
            c.add("certfile " + config.certFile);
            c.add("keyfile " + config.keyFile);
        }
        c.addAll(config.extra);
        Files.write(dir.resolve("mosquitto.conf"), c, StandardCharsets.UTF_8);
        readableByBroker(dir);
    }

    private void launch() throws Exception {
        Path log = dir.resolve("mosquitto.log");
        process = new ProcessBuilder(find("mosquitto"), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // readiness: the port accepts a connection (polled: the broker is another process with no other signal)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("mosquitto did not open port " + port
                        + " within 10 s:\n" + Files.readString(log));
                Thread.sleep(20);
            }
        }
    }

    /** Runs {@code mosquitto_pub -h 127.0.0.1 -p PORT args...} and waits for it. */
    public String pub(String... args) throws Exception {
        return client("mosquitto_pub", args);
    }

    /** Runs {@code mosquitto_sub -h 127.0.0.1 -p PORT args...} and waits for it; returns what it printed. */
    public String sub(String... args) throws Exception {
        return client("mosquitto_sub", args);
    }

    private String client(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(find(tool), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(Arrays.asList(args));
        return exec(dir, cmd.toArray(new String[0]));
    }

    /** Starts {@code mosquitto_sub} in the background (e.g. before the publisher runs). */
    public Process subProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(find("mosquitto_sub"), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + s);
        return s;
    }

    /** The path of a tool, or an assertion-style failure naming the Debian package to install. */
    static String find(String tool) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : Arrays.asList(path.split(File.pathSeparator)));
        dirs.addAll(Arrays.asList(DIRS));
        for (String d : dirs) {
            File f = new File(d, tool);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        String pkg = tool.equals("openssl") ? "openssl" : tool.equals("mosquitto") || tool.equals("mosquitto_passwd")
                ? "mosquitto" : "mosquitto-clients";
        throw new AssertionError(tool + " not found on PATH or in /usr/sbin: the MQTT tests need a real broker;"
                + " install it with: apt-get install -y mosquitto mosquitto-clients (package " + pkg + ")");
    }

    /** Run as root, mosquitto drops to its own user: it must still read the test's config, password and key files. */
    static void readableByBroker(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) p.toFile().setExecutable(true, false);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
