package eplua.net.robust;

import eplua.net.http.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh engine per test whose error handler must hear nothing, and Netty must log no warning (a stack trace on
 * stderr) while the peers misbehave; helpers to make garbage.
 */
abstract class RobustBase {
    static final Logger NETTY = Logger.getLogger("io.netty");
    final TestSupport.Lua lua = new TestSupport.Lua();
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        NETTY.addHandler(capture);
    }

    @AfterEach
    void quiet() throws Exception {
        NETTY.removeHandler(capture);
        try {
            lua.run("if srv then srv:stop() end");
            assertTrue(lua.errors.isEmpty(), "reported: " + lua.errors);
            assertTrue(logged.isEmpty(), "Netty logged: " + logged.stream()
                    .map(r -> r.getMessage() + " " + r.getThrown()).toList());
        } finally {
            lua.close();
        }
    }

    /** Waits (5 s at most) until the server has no connection left; there is no event to await for that. */
    static void awaitNoConnections(IntSupplier open) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        int n;
        while ((n = open.getAsInt()) > 0 && System.nanoTime() < end) Thread.sleep(20);
        assertEquals(0, n, "connections left open");
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A copy with one to three bits flipped. */
    static byte[] flip(Random r, byte[] in) {
        byte[] b = in.clone();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return b;
    }

    static String show(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "...(" + b.length + " bytes)" : s) + "'";
    }
}
