package eplua.net.common;

import eplua.net.http.TestSupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers on 127.0.0.1 that fail in one known way each, for the tests that pin the error words of every net module:
 * a port that refuses, a server that never answers, one that resets the connection, one whose certificate nobody
 * trusts. And the check that an error starts with a given word.
 */
public final class Peers {
    private Peers() {}

    /** A name that never resolves (RFC 6761's reserved .invalid): fails at once, online or not. */
    public static final String UNRESOLVABLE = "nonexistent.invalid";

    /**
     * Lua: {@code outcome(start)} calls {@code start(cb)} with a callback table and waits (a task) for the first
     * callback: the error string, or "success".
     */
    public static final String OUTCOME = "local function outcome(start) local r; start({success = function() r = r or 'success' end,"
            + " error = function(e) r = r or e end}); while r == nil do sleep(0.01) end; return r end\n";

    /** Asserts that {@code err} is {@code word}, or {@code word: detail}. */
    public static void assertWord(String word, String err) {
        assertTrue(err != null && (err.equals(word) || err.startsWith(word + ": ") && err.length() > word.length() + 2),
                () -> "expected an error starting with \"" + word + "\", got " + (err == null ? "nil" : "\"" + err + "\""));
    }

    /** A port that is bound but does not listen: a connect there is refused (RST) at once. */
    public static final class Refusing implements AutoCloseable {
        private final Socket bound = new Socket();
        public final int port;

        public Refusing() throws IOException {
            bound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            port = bound.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            bound.close();
        }
    }

    /** Accepts connections on a thread of its own; what it does with each is the subclass's. */
    private abstract static class Acceptor implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        public final int port = server.getLocalPort();

        Acceptor() throws IOException {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        accepted.add(s);
                        serve(s);
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, getClass().getSimpleName());
            t.setDaemon(true);
            t.start();
        }

        abstract void serve(Socket s) throws IOException;

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) s.close();
        }
    }

    /** Accepts every connection and never sends a byte. */
    public static final class Silent extends Acceptor {
        public Silent() throws IOException {
            super();
        }

        @Override
        void serve(Socket s) {
            // keeps the connection open, says nothing
        }
    }

    /**
     * Accepts, waits for the client's first bytes when {@code afterRequest} (at most 5 s), then aborts the connection
     * with a TCP reset (SO_LINGER 0).
     */
    public static final class Resetting extends Acceptor {
        private final boolean afterRequest;

        public Resetting(boolean afterRequest) throws IOException {
            super();
            this.afterRequest = afterRequest;
        }

        @Override
        void serve(Socket s) throws IOException {
            if (afterRequest) {
                s.setSoTimeout(5000);
                try {
                    s.getInputStream().read(new byte[4096]);
                } catch (IOException ignored) {
                    // reset anyway
                }
            }
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    /**
     * A python3 TLS server with a self-signed certificate for localhost and 127.0.0.1 (made by openssl): a client that
     * verifies certificates fails the handshake. It exits when the JVM closes its stdin.
     */
    public static final class UntrustedTls implements AutoCloseable {
        private static final String SCRIPT = String.join("\n",
                "import socket, ssl, sys, threading, os",
                "threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()",
                "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
                "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
                "s = socket.socket()",
                "s.bind(('127.0.0.1', 0))",
                "s.listen(16)",
                "print(s.getsockname()[1], flush=True)",
                "def serve(c):",
                "    try:",
                "        with ctx.wrap_socket(c, server_side=True) as t:",
                "            t.recv(1)",
                "    except Exception:",
                "        pass",
                "while True:",
                "    c, _ = s.accept()",
                "    threading.Thread(target=serve, args=(c,), daemon=True).start()",
                "");

        private final Process process;
        public final int port;

        public UntrustedTls(Path dir) throws Exception {
            Path certs = TestSupport.selfSigned(dir.resolve("untrusted"), "localhost", "DNS:localhost,IP:127.0.0.1");
            Path script = dir.resolve("tls_peer.py");
            Files.writeString(script, SCRIPT);
            process = new ProcessBuilder("python3", "-u", script.toString(), certs.resolve("cert.pem").toString(),
                    certs.resolve("key.pem").toString()).redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line != null && line.matches("\\d+"), "TLS peer did not start: " + line);
            port = Integer.parseInt(line);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
