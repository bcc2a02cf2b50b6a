package eplua.net.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headers a script receives, a request's in the server's handler and a response's from the client: names in lower
 * case whatever case the peer used, the values of a repeated name joined with ", " in the order sent, and a value's
 * bytes as the peer sent them (UTF-8 stays UTF-8, not re-encoded). Each side talks to a peer written here over a
 * plain socket, so the bytes on the wire are exactly the test's.
 */
class ReceivedHeadersKeepTheirBytes {
    final TestSupport.Lua lua = new TestSupport.Lua();

    @AfterEach
    void stop() throws Exception {
        lua.stopServerAndClose();
    }

    /** A head with a repeated name in three spellings and a UTF-8 value, then {@code tail}. */
    static byte[] head(String first, String tail) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((first + "\r\nX-Multi: a\r\nx-MULTI: b\r\nX-Utf: ").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("été".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(("\r\nx-multi: c\r\n" + tail).getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    static final String SUMMARY = "function(h)\n"
            + "  local n = 0\n"
            + "  for k in pairs(h) do n = n + 1 end\n"
            + "  return table.concat({ h['x-multi'], h['x-utf'], #h['x-utf'], tostring(h['X-Multi']),\n"
            + "    h['content-length'], n }, '|')\n"
            + "end";

    @Test
    void theServersHandlerGetsTheRequestHeadersAsSent() throws Exception {
        int port = lua.run("local summary = " + SUMMARY + "\n"
                + "srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path, body, h)\n"
                + "  return summary(h) .. '|' .. h.host\n"
                + "end))").arg1().toint();
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(head("GET / HTTP/1.1\r\nHost: here", "\r\n")).read();
            assertEquals(200, r.status, r.toString());
            // four names: host, x-multi, x-utf and the content-length the server adds for the (empty) body it read
            assertEquals("a, b, c|été|5|nil|0|4|here", r.body);
        }
    }

    @Test
    void theClientGetsTheResponseHeadersAsSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    while (!got.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) got.write(in.read());
                    OutputStream out = s.getOutputStream();
                    out.write(head("HTTP/1.1 200 OK", "Content-Length: 2\r\nConnection: close\r\n\r\nok"));
                    out.flush();
                    return got.toString(StandardCharsets.ISO_8859_1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            String summary = lua.run("local summary = " + SUMMARY + "\n"
                    + "local r = assert(http.request('http://127.0.0.1:" + server.getLocalPort() + "/'))\n"
                    + "return r.body .. '|' .. summary(r.headers)").arg1().tojstring();
            assertTrue(request.get(10, TimeUnit.SECONDS).startsWith("GET / HTTP/1.1\r\n"));
            // four names: x-multi, x-utf, content-length and connection
            assertEquals("ok|a, b, c|été|5|nil|2|4", summary); // the Lua string's bytes read as UTF-8
        }
    }
}
