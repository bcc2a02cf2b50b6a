package eplua.net.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static eplua.net.http.TestSupport.cmd;
import static eplua.net.http.TestSupport.exec;
import static eplua.net.http.TestSupport.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** curl (a client we did not write) against our HTTP server: GET, POST, keep-alive, 413, HTTPS. */
class HttpServerCurlTest {
    static final String HANDLER = "function(method, path, body, headers)\n"
            + "  if path == '/boom' then error('boom on purpose') end\n"
            + "  if method == 'POST' then return 'got ' .. #body .. ':' .. body, 201, {['X-Echo'] = headers['x-test'] or ''} end\n"
            + "  if path == '/json' then return {ok = true} end\n"
            + "  return 'hello ' .. path\n"
            + "end";

    @Test
    void curlAgainstPlainServer() throws Exception {
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            int port = lua.run("srv = net.HTTPServer({maxBodySize = 1000})\n"
                    + "return assert(srv:start('127.0.0.1', 0, " + HANDLER + "))").arg1().toint();
            String base = "http://127.0.0.1:" + port;
            TestSupport.Proc get = exec(cmd("curl", "-sS", "-i", base + "/a/b?c=1"), null);
            assertEquals(0, get.exit, get.out);
            assertTrue(get.out.startsWith("HTTP/1.1 200 OK"), get.out);
            assertTrue(get.out.toLowerCase().contains("content-type: text/plain; charset=utf-8"), get.out);
            assertTrue(get.out.endsWith("hello /a/b?c=1"), get.out);

            TestSupport.Proc post = exec(cmd("curl", "-sS", "-i", "-H", "X-Test: yes", "--data-binary", "@-", base + "/p"),
                    "line1\nline2".getBytes(StandardCharsets.UTF_8));
            assertTrue(post.out.startsWith("HTTP/1.1 201"), post.out);
            assertTrue(post.out.toLowerCase().contains("x-echo: yes"), post.out);
            assertTrue(post.out.endsWith("got 11:line1\nline2"), post.out);

            // two URLs in one curl run reuse the connection (keep-alive)
            TestSupport.Proc two = exec(cmd("curl", "-sS", "-v", base + "/1", base + "/json"), null);
            assertTrue(two.out.contains("hello /1"), two.out);
            assertTrue(two.out.contains("{\"ok\":true}"), two.out);
            assertTrue(two.out.contains("Re-using existing connection") || two.out.contains("Reusing existing connection"), two.out);

            TestSupport.Proc big = exec(cmd("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@-",
                    base + "/big"), new byte[5000]);
            assertEquals("413", big.out.trim());

            TestSupport.Proc boom = exec(cmd("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/boom"), null);
            assertEquals("500", boom.out.trim());
            // and the server lives on
            assertTrue(exec(cmd("curl", "-sS", base + "/again"), null).out.equals("hello /again"));

            // malformed request from a peer: 400, and the server lives on
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("GET / FOO/9.9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
            }
            assertEquals("hello /still", exec(cmd("curl", "-sS", base + "/still"), null).out);

            lua.run("srv:stop()");
            lua.engine.awaitIdle(java.time.Duration.ofSeconds(10));
            assertEquals(1, lua.errors.size(), "the failing handler is reported: " + lua.errors);
            assertTrue(lua.errors.get(0).getMessage().contains("boom on purpose"), lua.errors.toString());
            assertNotEquals(0, exec(cmd("curl", "-sS", "--max-time", "5", base + "/"), null).exit, "stopped");
        }
    }

    @Test
    void curlAgainstHttpsServer(@TempDir Path tmp) throws Exception {
        Path dir = TestSupport.selfSigned(tmp.resolve("tls"), "localhost", "DNS:localhost,IP:127.0.0.1");
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            int port = lua.run("srv = net.HTTPServer()\n"
                    + "return assert(srv:start('127.0.0.1', 0, " + HANDLER + ", {cert = " + lit(dir.resolve("cert.pem"))
                    + ", key = " + lit(dir.resolve("key.pem")) + "}))").arg1().toint();
            String url = "https://127.0.0.1:" + port + "/secure";
            TestSupport.Proc ok = exec(cmd("curl", "-sS", "--cacert", dir.resolve("cert.pem").toString(), url), null);
            assertEquals("hello /secure", ok.out, ok.out);
            TestSupport.Proc k = exec(cmd("curl", "-sS", "-k", "--data-binary", "xyz", url), null);
            assertEquals("got 3:xyz", k.out);
            TestSupport.Proc untrusted = exec(cmd("curl", "-sS", url), null);
            assertNotEquals(0, untrusted.exit, "curl must reject our self-signed certificate without --cacert");

            // our own client: rejected unless checkCertificate=false, accepted with the CA file
            String r = lua.run("local _, e = http.request(" + lit(url) + ")\n"
                    + "local ok = assert(http.request({url = " + lit(url) + ", checkCertificate = false}))\n"
                    + "local ca = assert(http.request({url = " + lit(url) + ", caFile = " + lit(dir.resolve("cert.pem")) + "}))\n"
                    + "return e .. '|' .. ok.body .. '|' .. ca.body").arg1().tojstring();
            assertTrue(r.startsWith("tls: "), r);
            assertTrue(r.endsWith("|hello /secure|hello /secure"), r);

            // callback style reports the TLS failure to error()
            java.util.concurrent.CompletableFuture<String> settled = lua.signal("settled");
            lua.run("net.HTTPClient():request(" + lit(url) + ", {success = function() settled('success') end,"
                    + " error = function(e) settled(e) end})");
            String cb = settled.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(cb.startsWith("tls: "), cb);
            lua.run("srv:stop()");
            lua.assertIdle();
        }
        Files.deleteIfExists(dir.resolve("key.pem"));
    }
}
