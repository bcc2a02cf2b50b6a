package eplua.net.robust;

import eplua.net.ws.WsServerConnections;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket server fed garbage over raw sockets, in seeded batches: bad upgrade requests (random bytes, missing or
 * wrong headers, cut short) and, after a good upgrade, random frames (random bytes, reserved opcodes and bits,
 * unmasked frames, huge or cut lengths, bad UTF-8, oversized control frames, fragmented pings). Each peer then ends
 * its side; the server closes every connection, its engine hears no error, and after each batch a normal client gets
 * its echo and no connection is left.
 */
class WsServerSurvivesGarbage extends RobustBase {
    static final long SEED = 4_455L;
    static final int BATCHES = 3;
    static final int PER_BATCH = 30;

    static String upgrade(String extra) {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + extra + "\r\n";
    }

    static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    static final String GOOD = upgrade(KEY + "Sec-WebSocket-Version: 13\r\n");

    static byte[] badUpgrade(Random r) {
        String[] reqs = {upgrade("Sec-WebSocket-Version: 13\r\n"), upgrade(KEY + "Sec-WebSocket-Version: 99\r\n"),
                upgrade(KEY), "GET /ws HTTP/1.1\r\nHost: x\r\n" + KEY + "Sec-WebSocket-Version: 13\r\n\r\n",
                "POST /ws HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", upgrade("Sec-WebSocket-Key: short\r\n"
                + "Sec-WebSocket-Version: 13\r\n")};
        switch (r.nextInt(3)) {
            case 0: return randomBytes(r, 1 + r.nextInt(200));
            case 1: {
                byte[] g = GOOD.getBytes(StandardCharsets.ISO_8859_1);
                return java.util.Arrays.copyOf(g, 1 + r.nextInt(g.length - 1));
            }
            default: return reqs[r.nextInt(reqs.length)].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** A frame as a client sends it (masked unless told), with free header bits and a claimed length. */
    static byte[] frame(Random r, int b0, long claimedLength, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(b0);
        int m = masked ? 0x80 : 0;
        if (claimedLength < 126) f.write(m | (int) claimedLength);
        else if (claimedLength < 65536) {
            f.write(m | 126);
            f.write((int) (claimedLength >>> 8) & 0xff);
            f.write((int) claimedLength & 0xff);
        } else {
            f.write(m | 127);
            for (int i = 7; i >= 0; i--) f.write((int) (claimedLength >>> (8 * i)) & 0xff);
        }
        byte[] mask = randomBytes(r, 4);
        if (masked) f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) f.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
        return f.toByteArray();
    }

    static byte[] badFrames(Random r) {
        byte[] p = randomBytes(r, r.nextInt(40));
        switch (r.nextInt(9)) {
            case 0: return randomBytes(r, 1 + r.nextInt(100));
            case 1: return frame(r, 0x80 | (3 + r.nextInt(5)), p.length, p, true);           // reserved data opcode
            case 2: return frame(r, 0x80 | 0x40 | 0x1, p.length, p, true);                    // RSV1 without extension
            case 3: return frame(r, 0x81, p.length, p, false);                                 // unmasked
            case 4: return frame(r, 0x82, Long.MAX_VALUE, p, true);                            // absurd length
            case 5: return frame(r, 0x82, 1000, p, true);                                      // cut short
            case 6: return frame(r, 0x81, 4, new byte[] {(byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1}, true); // bad UTF-8
            case 7: return frame(r, 0x89, 200, new byte[200], true);                           // ping over 125 bytes
            default: return frame(r, 0x09, 3, new byte[3], true);                              // fragmented ping
        }
    }

    /** A raw connection: sends the upgrade (or garbage instead), then garbage frames. */
    static final class Peer implements AutoCloseable {
        final Socket s;
        final String what;

        Peer(int port, byte[] first, String what) throws IOException {
            s = new Socket("127.0.0.1", port);
            s.setSoTimeout(5_000);
            this.what = what;
            s.getOutputStream().write(first);
        }

        /** Reads the response head: true for 101, false if the server answered otherwise or closed. */
        boolean upgraded() throws IOException {
            String h = head(s.getInputStream());
            return h != null && h.startsWith("HTTP/1.1 101");
        }

        void send(byte[] b) {
            try {
                s.getOutputStream().write(b);
            } catch (IOException closedAlready) {
                // the server may have closed on an earlier frame
            }
        }

        /** Ends our side and waits for the server to close its side: true if it did within {@code ms}. */
        boolean serverClosesWithin(int ms) throws IOException {
            try {
                s.shutdownOutput();
            } catch (IOException closedAlready) {
                return true;
            }
            s.setSoTimeout(ms);
            try {
                InputStream in = s.getInputStream();
                byte[] sink = new byte[4096];
                while (in.read(sink) >= 0) {
                    // close frames and error responses: discarded
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    @Test
    void garbageBatchesLeaveTheServerServingAndNoConnectionOpen() throws Exception {
        int port = lua.run("srv = net.WebSocketServer({handshakeTimeout = 300, maxMessageSize = 4096})\n"
                + "return assert(srv:start('127.0.0.1', 0, {receive = function(cid, data) srv:send(cid, 'echo:' .. data) end}))")
                .arg1().toint();
        Random r = new Random(SEED);
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Peer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < PER_BATCH; i++) {
                    if (r.nextInt(3) == 0) {
                        byte[] g = badUpgrade(r);
                        peers.add(new Peer(port, g, "upgrade " + show(g)));
                    } else {
                        Peer p = new Peer(port, GOOD.getBytes(StandardCharsets.ISO_8859_1), "frames");
                        peers.add(p);
                        assertTrue(p.upgraded(), "a good upgrade is accepted");
                        for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) p.send(badFrames(r));
                    }
                }
                for (Peer p : peers) assertTrue(p.serverClosesWithin(3_000), "still open after " + p.what);
            } finally {
                for (Peer p : peers) p.close();
            }
            awaitNoConnections(() -> WsServerConnections.count(lua, "srv"));
            assertEchoes(port);
        }
        // garbage from peers is not an error of the script: its "error" handler is not even set here, and nothing
        // reached the engine's error handler (RobustBase)
    }

    void assertEchoes(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            s.getOutputStream().write(upgrade("Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            DataInputStream in = new DataInputStream(s.getInputStream());
            String h = head(in);
            assertTrue(h != null && h.startsWith("HTTP/1.1 101"), String.valueOf(h));
            s.getOutputStream().write(frame(new Random(1), 0x81, 2, "hi".getBytes(StandardCharsets.UTF_8), true));
            int b0 = in.readUnsignedByte();
            int n = in.readUnsignedByte() & 0x7f;
            byte[] p = new byte[n];
            in.readFully(p);
            assertEquals(0x81, b0);
            assertEquals("echo:hi", new String(p, StandardCharsets.UTF_8));
        }
        awaitNoConnections(() -> WsServerConnections.count(lua, "srv"));
    }

    /** A response head up to its blank line, or null if the connection ended first. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) return null;
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
