package eplua.net.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static eplua.net.http.TestSupport.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our HTTP client against Python's http.server (a server we did not write), plain and HTTPS. */
class HttpClientPythonTest {
    static final String SERVER = String.join("\n",
            "import sys, ssl, http.server",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    def log_message(self, *a): pass",
            "    def send(self, code, body, extra=()):",
            "        self.send_response(code)",
            "        for k, v in extra: self.send_header(k, v)",
            "        self.send_header('Content-Length', str(len(body)))",
            "        self.end_headers()",
            "        self.wfile.write(body)",
            "    def do_GET(self):",
            "        if self.path == '/hello': return self.send(200, b'hi from python', [('X-Py', 'a'), ('X-Py', 'b')])",
            "        if self.path == '/peer': return self.send(200, str(self.client_address[1]).encode())",
            "        if self.path == '/redirect': return self.send(302, b'', [('Location', '/hello')])",
            "        if self.path == '/loop': return self.send(302, b'', [('Location', '/loop')])",
            "        if self.path == '/binary': return self.send(200, bytes(range(256)) * 4)",
            "        if self.path == '/chunked':",
            "            self.send_response(200)",
            "            self.send_header('Transfer-Encoding', 'chunked')",
            "            self.end_headers()",
            "            for part in (b'one,', b'two,', b'three'):",
            "                self.wfile.write(b'%x\\r\\n%s\\r\\n' % (len(part), part))",
            "            self.wfile.write(b'0\\r\\n\\r\\n')",
            "            return",
            "        self.send(404, b'no')",
            "    def do_POST(self):",
            "        n = int(self.headers.get('Content-Length', 0))",
            "        body = self.rfile.read(n)",
            "        self.send(200, self.command.encode() + b':' + body, [('Content-Type', self.headers.get('Content-Type', ''))])",
            "    do_PUT = do_POST",
            "srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)",
            "if len(sys.argv) > 2:",
            "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "    ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)",
            "print(srv.server_address[1], flush=True)",
            "srv.serve_forever()");

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Process p : processes) p.destroyForcibly();
    }

    private int startPython(Path dir, String... args) throws Exception {
        Path script = dir.resolve("server.py");
        Files.writeString(script, SERVER);
        List<String> cmd = TestSupport.cmd("python3", script.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.matches("\\d+"), "python server did not start: " + line);
        return Integer.parseInt(line);
    }

    @Test
    void plainHttp(@TempDir Path tmp) throws Exception {
        int port = startPython(tmp);
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            String r = lua.run(String.join("\n",
                    "local base = 'http://127.0.0.1:" + port + "'",
                    "local r = assert(http.request(base .. '/hello'))",
                    "T_eq = function(a, b, m) if a ~= b then error((m or '') .. ': ' .. tostring(a) .. ' ~= ' .. tostring(b), 2) end end",
                    "T_eq(r.status, 200); T_eq(r.body, 'hi from python')",
                    "T_eq(r.headers['x-py'], 'a, b', 'repeated header joined')",
                    "T_eq(r.headers['content-length'], '14')",
                    // keep-alive: the same client port serves consecutive requests
                    "local p1 = assert(http.request(base .. '/peer')).body",
                    "local p2 = assert(http.request(base .. '/peer')).body",
                    "T_eq(p1, p2, 'connection reused')",
                    "r = assert(http.request(base .. '/chunked')); T_eq(r.body, 'one,two,three')",
                    "r = assert(http.request(base .. '/binary')); T_eq(#r.body, 1024); T_eq(r.body:byte(256), 255)",
                    "local bin = '\\0\\1\\255\\254'",
                    "r = assert(http.request({url = base .. '/x', method = 'POST', body = bin, headers = {['Content-Type'] = 'application/octet-stream'}}))",
                    "T_eq(r.body, 'POST:' .. bin); T_eq(r.headers['content-type'], 'application/octet-stream')",
                    "r = assert(http.request({url = base .. '/x', method = 'PUT', body = {a = 1}}))",
                    "T_eq(r.body, 'PUT:{\"a\":1}'); T_eq(r.headers['content-type'], 'application/json')",
                    "r = assert(http.request(base .. '/redirect')); T_eq(r.status, 302)",
                    "r = assert(http.request({url = base .. '/redirect', followRedirects = true})); T_eq(r.status, 200); T_eq(r.body, 'hi from python')",
                    "local _, e = http.request({url = base .. '/loop', redirect = true}); T_eq(e, 'protocol: more than 5 redirects')",
                    "local _, e2 = http.request({url = base .. '/binary', maxBodySize = 100}); T_eq(e2:match('^too large') ~= nil, true, e2)",
                    "r = assert(http.request(base .. '/after-too-large')); T_eq(r.status, 404)",
                    "return 'ok'")).arg1().tojstring();
            assertEquals("ok", r);
            // callback style: resp.data, resp.headers
            java.util.concurrent.CompletableFuture<String> done = lua.signal("done");
            lua.run("net.HTTPClient():request('http://127.0.0.1:" + port + "/x', {options = {method = 'POST', data = 'abc',"
                    + " timeout = 5000}, success = function(resp) done(resp.status .. ' ' .. resp.data .. ' ' .. type(resp.headers)) end,"
                    + " error = function(e) done('error ' .. e) end})");
            assertEquals("200 POST:abc table", done.get(10, java.util.concurrent.TimeUnit.SECONDS));
            lua.assertIdle();
        }
    }

    /** A peer that answers garbage, or closes without answering: clear errors, and the engine lives on. */
    @Test
    void brokenPeers() throws Exception {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
             TestSupport.Lua lua = new TestSupport.Lua()) {
            Thread peer = new Thread(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        try (java.net.Socket s = ss.accept()) {
                            s.getInputStream().read(new byte[4096]);
                            if (i == 0) s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // test over
                }
            });
            peer.start();
            String base = "http://127.0.0.1:" + ss.getLocalPort() + "/";
            String r = lua.run("local _, a = http.request({url = " + lit(base) + ", timeout = 5000})\n"
                    + "local _, b = http.request({url = " + lit(base) + ", timeout = 5000})\n"
                    + "return a .. '|' .. b").arg1().tojstring();
            peer.join(10_000);
            String[] parts = r.split("\\|");
            assertTrue(parts[0].startsWith("protocol") || parts[0].startsWith("closed"), r);
            assertTrue(parts[1].startsWith("closed"), r);
            lua.assertIdle();
        }
    }

    @Test
    void httpsCertificateChecks(@TempDir Path tmp) throws Exception {
        // a certificate valid for another host name: even trusted, host name verification must refuse it
        Path dir = TestSupport.selfSigned(tmp.resolve("tls"), "example.com", "DNS:example.com");
        int port = startPython(tmp, dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString());
        String url = "https://127.0.0.1:" + port + "/hello";
        try (TestSupport.Lua lua = new TestSupport.Lua()) {
            String r = lua.run(String.join("\n",
                    "local _, untrusted = http.request(" + lit(url) + ")",
                    "local _, wrongName = http.request({url = " + lit(url) + ", caFile = " + lit(dir.resolve("cert.pem")) + "})",
                    "local ok = assert(http.request({url = " + lit(url) + ", checkCertificate = false}))",
                    "return untrusted .. '|' .. wrongName .. '|' .. ok.body")).arg1().tojstring();
            String[] parts = r.split("\\|");
            assertTrue(parts[0].startsWith("tls: "), r);
            assertTrue(parts[1].startsWith("tls: ") && parts[1].toLowerCase().contains("127.0.0.1"), r);
            assertEquals("hi from python", parts[2]);
            lua.assertIdle();
        }
    }
}
