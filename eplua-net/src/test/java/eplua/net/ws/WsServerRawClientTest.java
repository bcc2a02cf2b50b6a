package eplua.net.ws;

import eplua.net.http.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import static eplua.net.http.TestSupport.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our WebSocket server against an independent client: RFC 6455 framing written here by hand over a plain socket
 * (handshake, masked frames, ping/pong, oversized message). And TLS (wss) with a certificate made by openssl.
 */
class WsServerRawClientTest {
    static final String ECHO = "{receive = function(cid, data, bin) srv:send(cid, 'echo:' .. data, bin and {binary = true} or nil) end,"
            + " error = function(e, cid) lastError = e end}";

    /** A minimal RFC 6455 client. */
    static final class RawWs implements AutoCloseable {
        final Socket s;
        final OutputStream out;
        final DataInputStream in;

        RawWs(int port, String path) throws Exception {
            s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            out = s.getOutputStream();
            in = new DataInputStream(s.getInputStream());
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertTrue(head.contains("Sec-WebSocket-Accept: " + accept) || head.toLowerCase().contains(
                    "sec-websocket-accept: " + accept.toLowerCase()), head);
        }

        static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) throw new IOException("eof in handshake: " + b);
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        void send(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | opcode);
            int n = payload.length;
            if (n < 126) f.write(0x80 | n);
            else if (n < 65536) {
                f.write(0x80 | 126);
                f.write(n >>> 8);
                f.write(n & 0xff);
            } else {
                f.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) f.write((int) ((long) n >>> (8 * i)) & 0xff);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < n; i++) f.write(payload[i] ^ mask[i & 3]);
            out.write(f.toByteArray());
            out.flush();
        }

        /** Reads one frame: [opcode, payload]. Server frames are never masked. */
        Object[] read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertEquals(0, b1 & 0x80, "server frames must not be masked");
            long n = b1 & 0x7f;
            if (n == 126) n = in.readUnsignedShort();
            else if (n == 127) n = in.readLong();
            byte[] p = new byte[(int) n];
            in.readFully(p);
            return new Object[] {b0 & 0x0f, p};
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rawClientAgainstOurServer() throws Exception {
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            int port = lua.run("srv = net.WebSocketServer({maxMessageSize = 1000})\n"
                    + "return assert(srv:start('127.0.0.1', 0, " + ECHO + "))").arg1().toint();
            try (RawWs ws = new RawWs(port, "/any/path")) {
                ws.send(0x1, utf8("hello ünicode"));
                Object[] f = ws.read();
                assertEquals(0x1, f[0]);
                assertEquals("echo:hello ünicode", new String((byte[]) f[1], StandardCharsets.UTF_8));

                byte[] bin = {0, 1, (byte) 0xff, (byte) 0xfe};
                ws.send(0x2, bin);
                f = ws.read();
                assertEquals(0x2, f[0]);
                assertArrayEquals(new byte[] {'e', 'c', 'h', 'o', ':', 0, 1, (byte) 0xff, (byte) 0xfe}, (byte[]) f[1]);

                ws.send(0x9, utf8("ping!")); // ping -> pong with the same payload
                f = ws.read();
                assertEquals(0xA, f[0]);
                assertEquals("ping!", new String((byte[]) f[1], StandardCharsets.UTF_8));

                assertEquals(1, lua.run("return #srv:getClients()").arg1().toint());

                ws.send(0x1, new byte[2000]); // over maxMessageSize: close 1009, connection dropped
                f = ws.read();
                assertEquals(0x8, f[0]);
                byte[] p = (byte[]) f[1];
                assertEquals(1009, ((p[0] & 0xff) << 8) | (p[1] & 0xff));
                // then the server closes the connection (Netty may repeat the close frame first)
                int b;
                while ((b = ws.in.read()) == 0x88) ws.in.skipBytes(ws.in.readUnsignedByte() & 0x7f);
                assertEquals(-1, b, "server closes the connection");
            }
            // the server lives on
            try (RawWs ws = new RawWs(port, "/")) {
                ws.send(0x1, utf8("again"));
                assertEquals("echo:again", new String((byte[]) ws.read()[1], StandardCharsets.UTF_8));
                ws.send(0x8, new byte[] {0x03, (byte) 0xe8}); // close 1000
                Object[] f = ws.read();
                assertEquals(0x8, f[0]);
            }
            String err = lua.run("return lastError").arg1().tojstring();
            assertTrue(err.startsWith("too large"), err);
            lua.run("srv:stop()");
            lua.assertIdle();
        }
    }

    @Test
    void wssWithSelfSignedCertificate(@TempDir Path tmp) throws Exception {
        Path dir = TestSupport.selfSigned(tmp.resolve("tls"), "localhost", "DNS:localhost,IP:127.0.0.1");
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            int port = lua.run("srv = net.WebSocketServer({cert = " + lit(dir.resolve("cert.pem")) + ", key = "
                    + lit(dir.resolve("key.pem")) + "})\n"
                    + "return assert(srv:start('127.0.0.1', 0, " + ECHO + "))").arg1().toint();
            String url = "wss://127.0.0.1:" + port + "/";
            String r = lua.run(String.join("\n",
                    "local _, untrusted = net.WebSocketClientTls():connect_async(" + lit(url) + ")",
                    "local c = net.WebSocketClientTls({caFile = " + lit(dir.resolve("cert.pem")) + "})",
                    "assert(c:connect_async(" + lit(url) + "))",
                    "assert(c:send_async('secure'))",
                    "local got = assert(c:receive_async(5000))",
                    "c:close()",
                    "local k = net.WebSocketClientTls({checkCertificate = false})",
                    "assert(k:connect_async(" + lit(url) + "))",
                    "assert(k:send_async('k'))",
                    "local got2 = assert(k:receive_async(5000))",
                    "k:close()",
                    "return untrusted .. '|' .. got .. '|' .. got2")).arg1().tojstring();
            String[] parts = r.split("\\|");
            assertTrue(parts[0].startsWith("tls: "), r);
            assertEquals("echo:secure", parts[1]);
            assertEquals("echo:k", parts[2]);
            // callback style: the TLS failure arrives as an "error" event
            java.util.concurrent.CompletableFuture<String> ev = lua.signal("ev");
            lua.run("local w = net.WebSocketClientTls()\n"
                    + "w:addEventListener('error', function(e) ev(e) end)\n"
                    + "w:addEventListener('connected', function() ev('connected') end)\n"
                    + "w:connect(" + lit(url) + ")");
            assertTrue(ev.get(10, java.util.concurrent.TimeUnit.SECONDS).startsWith("tls: "));
            lua.run("srv:stop()");
            lua.assertIdle();
        }
    }
}
