package eplua.net.robust;

import eplua.net.http.HttpServerConnections;
import eplua.net.http.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server fed garbage over raw sockets, in seeded batches of concurrent connections: random bytes, requests
 * cut at any point (request line, headers, body), broken chunked encoding, contradictory or oversized lengths, bit
 * flips of valid requests. The server closes every one of those connections within its timeouts (300 ms here), the
 * handler's engine hears nothing, and after each batch a normal request is answered and no connection is left.
 */
class HttpServerSurvivesGarbage extends RobustBase {
    static final long SEED = 7_1213L;
    static final int BATCHES = 5;
    static final int PER_BATCH = 40;

    static final String GET = "GET /fine?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: raw\r\nAccept: */*\r\n\r\n";
    static final String POST = "POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n"
            + "hello world";
    static final String CHUNKED = "POST /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

    /** One bad request, chosen by {@code kind}. */
    static byte[] garbage(Random r, int kind) {
        switch (kind) {
            case 0: return randomBytes(r, 1 + r.nextInt(300));
            case 1: return cut(r, GET);
            case 2: return cut(r, POST);
            case 3: return cut(r, CHUNKED);
            case 4: { // broken chunk sizes and framing
                String[] bodies = {"zz\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n",
                        "ffffffffffffffff\r\nx\r\n", "5;ext=\"unterminated\r\nhello\r\n0\r\n\r\n", "\r\n\r\n",
                        "3\r\nabc\r\n0\r\nTrailer\r\n\r\n", "5\r\nhel"};
                return ("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + bodies[r.nextInt(bodies.length)])
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 5: return flip(r, (r.nextBoolean() ? GET : POST).getBytes(StandardCharsets.ISO_8859_1));
            case 6: { // lengths that lie or contradict
                String[] heads = {"Content-Length: 100\r\n\r\nshort", "Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
                        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "Content-Length: -1\r\n\r\n", "Content-Length: 99999999999999999999\r\n\r\n",
                        "Content-Length: 1000000000000\r\n\r\nxyz", "Transfer-Encoding: gzip, chunked, identity\r\n\r\n0\r\n\r\n"};
                return ("POST /l HTTP/1.1\r\nHost: x\r\n" + heads[r.nextInt(heads.length)]).getBytes(StandardCharsets.ISO_8859_1);
            }
            default: { // odd request lines and header syntax
                String[] reqs = {"GET\r\n\r\n", "G E T / HTTP/1.1\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                        "GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
                        "GET / HTTP/1.1\r\n: novalue\r\n\r\n", "\r\n\r\n\r\n\r\n", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n",
                        "GET / HTTP/1.1\r\nX: " + "b".repeat(20_000) + "\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                        "GET / HTTP/1.1\r\nHost: x\r\nX\u0000Bad: v\r\n\r\n"};
                return reqs[r.nextInt(reqs.length)].getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    static byte[] cut(Random r, String request) {
        byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
        return Arrays.copyOf(b, 1 + r.nextInt(b.length - 1)); // never the whole request
    }

    @Test
    void garbageBatchesLeaveTheServerServingAndNoConnectionOpen() throws Exception {
        int port = lua.run("srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path, body)\n"
                + "  return method .. ' ' .. path .. ' ' .. #body\n"
                + "end, {headerTimeout = 300, idleTimeout = 300}))").arg1().toint();
        Random r = new Random(SEED);
        for (int batch = 0; batch < BATCHES; batch++) {
            List<RawHttp> peers = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            try {
                for (int i = 0; i < PER_BATCH; i++) {
                    byte[] g = garbage(r, r.nextInt(8));
                    RawHttp c = new RawHttp(port);
                    peers.add(c);
                    sent.add(show(g));
                    try {
                        c.send(g);
                    } catch (IOException refusedMidway) {
                        // the server may close before all of a large garbage request is written
                    }
                }
                for (int i = 0; i < peers.size(); i++) {
                    assertTrue(peers.get(i).closedWithin(3_000) >= 0, "still open after " + sent.get(i));
                }
            } finally {
                for (RawHttp c : peers) c.close();
            }
            assertNormalRequestServed(port);
            awaitNoConnections(() -> HttpServerConnections.count(lua, "srv"));
        }
    }

    @Test
    void peersThatAbortMidRequestLeaveNothingBehind() throws Exception {
        int port = lua.run("srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path) sleep(0.05) return 'ok' end,"
                + " {headerTimeout = 5000, idleTimeout = 5000}))").arg1().toint();
        Random r = new Random(SEED + 1);
        List<RawHttp> peers = new ArrayList<>();
        for (int i = 0; i < PER_BATCH; i++) {
            RawHttp c = new RawHttp(port);
            peers.add(c);
            // some mid-request, some with a request at the handler when they go
            c.send(r.nextBoolean() ? cut(r, POST) : GET.getBytes(StandardCharsets.ISO_8859_1));
        }
        for (RawHttp c : peers) {
            if (c.socket.getLocalPort() % 2 == 0) c.socket.setSoLinger(true, 0); // a reset for some, a FIN for the others
            c.close();
        }
        // the timeouts are long here: only noticing the peers' end frees their connections
        awaitNoConnections(() -> HttpServerConnections.count(lua, "srv"));
        assertNormalRequestServed(port);
    }

    void assertNormalRequestServed(int port) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response ok = c.send(POST).read();
            assertEquals(200, ok.status, ok.toString());
            assertTrue(ok.body.equals("POST /post 11") || ok.body.equals("ok"), ok.body);
        }
    }
}
