package eplua.net.http;

import eplua.net.common.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer cannot hold the HTTP server's connections: a request head sent too slowly (slowloris) gets 408 and the
 * connection closed, a body that stalls too, an idle keep-alive connection is closed, a head over the size or count
 * limits gets 414/431 and closed. Short timeouts here (300 ms) stand for the defaults (10 s, 60 s).
 */
class HttpServerTimesOutAndLimitsPeers {
    final TestSupport.Lua lua = new TestSupport.Lua();

    @AfterEach
    void stop() throws Exception {
        lua.stopServerAndClose();
    }

    int server(String opts) throws Exception {
        return lua.run("srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path, body)\n"
                + "  if path == '/slow' then sleep(0.6) end\n"
                + "  return method .. ' ' .. path .. ' ' .. #body\n"
                + "end, " + opts + "))").arg1().toint();
    }

    static void assertClosedWith408(RawHttp c, long fromNanos, long atLeastMs) throws IOException {
        RawHttp.Response r = c.read();
        long ms = (System.nanoTime() - fromNanos) / 1_000_000L;
        assertEquals(408, r.status, r.toString());
        assertEquals("close", r.headers.get("connection"));
        assertTrue(c.closedWithin(2_000) >= 0, "closed after the 408");
        assertTrue(ms >= atLeastMs && ms < 3_000, "408 after " + ms + " ms");
    }

    @Test
    void slowlorisGets408AndTheConnectionClosed() throws Exception {
        int port = server("{headerTimeout = 300}");
        List<RawHttp> peers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < 50; i++) peers.add(new RawHttp(port).send("GET / HTTP/1.1\r\nHost: x\r\n"));
            // a byte a tenth of a second on every connection: each head grows, none ever completes
            Thread drip = new Thread(() -> {
                while (!stop.get()) {
                    for (RawHttp p : peers) {
                        try {
                            p.send("X");
                        } catch (IOException closed) {
                            // the server gave up on this one
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            drip.start();
            for (RawHttp p : peers) assertClosedWith408(p, t0, 250);
            stop.set(true);
            drip.join();
        } finally {
            for (RawHttp p : peers) p.close();
        }
        // and the server still answers
        try (RawHttp c = new RawHttp(port)) {
            assertEquals("GET /after 0", c.send(RawHttp.get("/after", "")).read().body);
        }
    }

    @Test
    void silentConnectionGets408() throws Exception {
        assertSilentPeerGets408(server("{headerTimeout = 300}"));
    }

    /** A peer that connects and sends nothing gets 408 after 300 ms, and the connection closed. */
    static void assertSilentPeerGets408(int port) throws IOException {
        long t0 = System.nanoTime();
        try (RawHttp c = new RawHttp(port)) {
            assertClosedWith408(c, t0, 250);
        }
    }

    @Test
    void stalledBodyGets408() throws Exception {
        int port = server("{headerTimeout = 300}");
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            long t0 = System.nanoTime();
            assertClosedWith408(c, t0, 250);
        }
    }

    @Test
    void bodyTrickledWithinTheTimeoutIsServed() throws Exception {
        int port = server("{headerTimeout = 300}");
        try (RawHttp c = new RawHttp(port)) {
            c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n");
            for (int i = 0; i < 6; i++) { // 6 x 100 ms: longer than the timeout, no pause as long
                Thread.sleep(100);
                c.send("x");
            }
            assertEquals("POST /p 6", c.read().body);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        int port = server("{headerTimeout = 5000, idleTimeout = 300}");
        try (RawHttp c = new RawHttp(port)) {
            assertEquals("GET /a 0", c.send(RawHttp.get("/a", "")).read().body);
            long closed = c.closedWithin(3_000);
            assertTrue(closed >= 250, "closed after " + closed + " ms");
        }
    }

    @Test
    void slowHandlerKeepsItsConnectionAndPipelinedRequestsAnswerInOrder() throws Exception {
        int port = server("{headerTimeout = 300, idleTimeout = 300}");
        try (RawHttp c = new RawHttp(port)) {
            c.send(RawHttp.get("/slow", "") + RawHttp.get("/second", "") + RawHttp.get("/third", ""));
            assertEquals("GET /slow 0", c.read().body);
            assertEquals("GET /second 0", c.read().body);
            assertEquals("GET /third 0", c.read().body);
        }
    }

    @Test
    void peerThatDoesNotReadItsResponsesIsStalledThenClosed() throws Exception {
        int port = lua.run("calls = 0\n"
                + "local big = string.rep('x', 256 * 1024)\n"
                + "srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function() calls = calls + 1 return big end,"
                + " {idleTimeout = 300}))").arg1().toint();
        try (RawHttp c = new RawHttp(port)) {
            c.send(RawHttp.get("/big", "").repeat(2000)); // 2000 requests pipelined; not one response read
            Eventually.equals(1, () -> HttpServerConnections.count(lua, "srv"), "accepted");
            Eventually.equals(0, () -> HttpServerConnections.count(lua, "srv"), "closed once stalled for the idle timeout");
        }
        int calls = lua.run("return calls").arg1().toint();
        assertTrue(calls > 0 && calls < 500, "requests handled for a peer that read nothing: " + calls);
    }

    @Test
    void timeoutsOfZeroAreOff() throws Exception {
        int port = server("{headerTimeout = 0, idleTimeout = 0}");
        try (RawHttp c = new RawHttp(port)) {
            c.send("GET / HTTP/1.1\r\n");
            assertEquals(-1, c.closedWithin(700), "no header timeout");
            c.send("Host: x\r\n\r\n");
            assertEquals("GET / 0", c.read().body);
            assertEquals(-1, c.closedWithin(700), "no idle timeout");
        }
    }

    @Test
    void systemPropertiesSetTheDefaults() throws Exception {
        System.setProperty("eplua.http.headerTimeout", "300");
        int port;
        try {
            port = server("nil");
        } finally {
            System.clearProperty("eplua.http.headerTimeout");
        }
        assertSilentPeerGets408(port);
    }

    @Test
    void headersOverTheSizeLimitGet431() throws Exception {
        int port = server("{maxHeaderSize = 1024}");
        RawHttp.assertRejected(port, RawHttp.get("/", "X-Big: " + "a".repeat(2000) + "\r\n"), 431);
        try (RawHttp c = new RawHttp(port)) { // under the limit
            assertEquals("GET / 0", c.send(RawHttp.get("/", "X-Big: " + "a".repeat(900) + "\r\n")).read().body);
        }
    }

    @Test
    void defaultHeaderSizeLimitIs16KiB() throws Exception {
        int port = server("nil");
        RawHttp.assertRejected(port, RawHttp.get("/", "X-Big: " + "a".repeat(17_000) + "\r\n"), 431);
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(200, c.send(RawHttp.get("/", "X-Big: " + "a".repeat(15_000) + "\r\n")).read().status);
        }
    }

    @Test
    void tooManyHeadersGet431() throws Exception {
        int port = server("{maxHeaders = 20}");
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 19; i++) h.append("X-H").append(i).append(": v\r\n"); // + Host = 20
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(200, c.send(RawHttp.get("/", h.toString())).read().status);
            RawHttp.Response r = c.send(RawHttp.get("/", h + "X-One-More: v\r\n")).read();
            assertEquals(431, r.status, r.toString());
            assertTrue(c.closedWithin(2_000) >= 0);
        }
    }

    @Test
    void requestLineOver8KiBGets414() throws Exception {
        RawHttp.assertRejected(server("nil"), RawHttp.get("/" + "a".repeat(9_000), ""), 414);
    }

    @Test
    void malformedRequestGets400() throws Exception {
        RawHttp.assertRejected(server("nil"), "GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n", 400);
    }

    @Test
    void badOptionIsAnArgumentError() throws Exception {
        String err = lua.run("local ok, e = pcall(function() net.HTTPServer():start('127.0.0.1', 0, function() end,"
                + " {idleTimeout = 'long'}) end) return e").arg1().tojstring();
        assertTrue(err.startsWith("test.lua:1: bad argument #4 to 'start' (idleTimeout: number expected, got string)"), err);
    }
}
