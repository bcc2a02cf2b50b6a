package eplua.net.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An independent peer for tests: a small python3 server on 127.0.0.1 (modes "tcp-echo", "tcp-abc-close",
 * "udp-echo"). It prints its port, serves until closed, and exits by itself if the JVM dies (stdin closes).
 */
public final class PythonPeer implements AutoCloseable {
    private static final String SCRIPT = String.join("\n",
            "import socket, sys, threading, os",
            "def watch():",
            "    sys.stdin.read()",
            "    os._exit(0)",
            "threading.Thread(target=watch, daemon=True).start()",
            "mode = sys.argv[1]",
            "if mode == 'udp-echo':",
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "    s.bind(('127.0.0.1', 0))",
            "    print(s.getsockname()[1], flush=True)",
            "    while True:",
            "        d, a = s.recvfrom(65536)",
            "        s.sendto(d, a)",
            "s = socket.socket()",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('127.0.0.1', 0))",
            "s.listen(128)",
            "print(s.getsockname()[1], flush=True)",
            "def echo(c):",
            "    with c:",
            "        while True:",
            "            d = c.recv(65536)",
            "            if not d: break",
            "            c.sendall(d)",
            "def abc(c):",
            "    with c:",
            "        c.sendall(b'abc')",
            "while True:",
            "    c, _ = s.accept()",
            "    threading.Thread(target=echo if mode == 'tcp-echo' else abc, args=(c,), daemon=True).start()",
            "");

    private final Process process;
    public final int port;

    public PythonPeer(String mode) throws IOException {
        process = new ProcessBuilder("python3", "-u", "-c", SCRIPT, mode).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null) {
            process.destroyForcibly();
            throw new IOException("python peer did not start");
        }
        try {
            port = Integer.parseInt(line.trim());
        } catch (NumberFormatException e) {
            process.destroyForcibly();
            throw new IOException("python peer: " + line);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
