package eplua.net.robust;

import eplua.net.common.Eventually;
import eplua.net.common.NettyWarnings;
import eplua.net.http.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh engine per test whose error handler must hear nothing, and Netty must log no warning (a stack trace on
 * stderr) while the peers misbehave; helpers to make garbage.
 */
abstract class RobustBase {
    final TestSupport.Lua lua = new TestSupport.Lua();
    NettyWarnings warnings;

    @BeforeEach
    void listen() {
        warnings = NettyWarnings.start();
    }

    @AfterEach
    void quiet() throws Exception {
        try {
            warnings.assertNone();
            lua.run("if srv then srv:stop() end");
            assertTrue(lua.errors.isEmpty(), "reported: " + lua.errors);
        } finally {
            lua.close();
        }
    }

    /** Waits until the server has no connection left. */
    static void awaitNoConnections(IntSupplier open) throws InterruptedException {
        Eventually.equals(0, open, "connections left open");
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
