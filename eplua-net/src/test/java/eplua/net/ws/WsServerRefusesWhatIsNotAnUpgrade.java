package eplua.net.ws;

import eplua.net.http.RawHttp;
import eplua.net.http.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before the upgrade a WebSocket server is an HTTP server with the same discipline: what is not an upgrade request
 * gets 400 and the connection closed, a head over the limits 431, and a handshake not done within the handshake
 * timeout (300 ms here, 10 s by default) 408 and closed. An upgraded connection is not touched by that timeout.
 */
class WsServerRefusesWhatIsNotAnUpgrade {
    final TestSupport.Lua lua = new TestSupport.Lua();
    int port;

    @BeforeEach
    void start() throws Exception {
        port = lua.run("srv = net.WebSocketServer({handshakeTimeout = 300, maxHeaders = 20})\n"
                + "return assert(srv:start('127.0.0.1', 0, " + WsServerRawClientTest.ECHO + "))").arg1().toint();
    }

    @AfterEach
    void stop() throws Exception {
        lua.run("srv:stop()");
        try {
            lua.assertIdle();
        } finally {
            lua.close();
        }
    }

    void assertRefused(String request, int status) throws Exception {
        RawHttp.assertRejected(port, request, status);
    }

    @Test
    void plainRequestGets400() throws Exception {
        assertRefused("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void postWithUpgradeHeadersGets400() throws Exception {
        assertRefused("POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n", 400);
    }

    @Test
    void unsupportedVersionGets426NamingVersion13AndClosed() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(RawHttp.get("/", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n")).read();
            assertEquals(426, r.status, r.toString());
            assertEquals("13", r.headers.get("sec-websocket-version"));
            assertEquals("close", r.headers.get("connection"));
            assertTrue(c.closedWithin(2_000) >= 0, "closed after " + r.statusLine);
        }
    }

    @Test
    void garbageGets400() throws Exception {
        assertRefused("\u0001\u0002garbage\r\n\r\n", 400);
    }

    @Test
    void tooManyHeadersGet431() throws Exception {
        StringBuilder h = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 25; i++) h.append("X-H").append(i).append(": v\r\n");
        assertRefused(h + "\r\n", 431);
    }

    @Test
    void slowHandshakeGets408() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
            RawHttp.Response r = c.read();
            long ms = (System.nanoTime() - t0) / 1_000_000L;
            assertEquals(408, r.status, r.toString());
            assertTrue(ms >= 250 && ms < 3_000, "after " + ms + " ms");
            assertTrue(c.closedWithin(2_000) >= 0, "closed");
        }
    }

    @Test
    void upgradedConnectionOutlivesTheHandshakeTimeout() throws Exception {
        try (WsServerRawClientTest.RawWs ws = new WsServerRawClientTest.RawWs(port, "/")) {
            assertTrue(silentFor(ws, 1_000), "nothing from the server for three handshake timeouts");
            ws.send(0x1, "still here".getBytes(StandardCharsets.UTF_8));
            assertEquals("echo:still here", new String((byte[]) ws.read()[1], StandardCharsets.UTF_8));
        }
    }

    @Test
    void protocolViolationsAfterTheUpgradeGetTheirCloseCode() throws Exception {
        assertEquals(1002, closeCodeAfter(new byte[] {(byte) 0x81, 0x02, 'h', 'i'})); // unmasked
        assertEquals(1002, closeCodeAfter(new byte[] {(byte) 0x83, (byte) 0x80, 0, 0, 0, 0})); // reserved opcode
        assertEquals(1007, closeCodeAfter(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, (byte) 0xc3, 0x28})); // bad UTF-8
    }

    /** The status code of the close frame the server answers {@code frame} with (after an upgrade). */
    int closeCodeAfter(byte[] frame) throws Exception {
        try (WsServerRawClientTest.RawWs ws = new WsServerRawClientTest.RawWs(port, "/")) {
            ws.out.write(frame);
            ws.out.flush();
            Object[] f = ws.read();
            assertEquals(0x8, f[0], "a close frame");
            byte[] p = (byte[]) f[1];
            return ((p[0] & 0xff) << 8) | (p[1] & 0xff);
        }
    }

    /** True if the server neither sends nor closes for {@code ms}. */
    static boolean silentFor(WsServerRawClientTest.RawWs ws, int ms) throws IOException {
        ws.s.setSoTimeout(ms);
        try {
            ws.in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            ws.s.setSoTimeout(10_000);
        }
    }
}
