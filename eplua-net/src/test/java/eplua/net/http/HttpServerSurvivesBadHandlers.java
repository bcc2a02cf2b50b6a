package eplua.net.http;

import eplua.core.LuaScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a handler does, the client gets a response: a handler that raises, or returns a status, header or body
 * that cannot go on the wire, gives the client a 500 (and nothing of what it returned) and the engine's error handler
 * a report saying what was wrong; the connection stays usable.
 */
class HttpServerSurvivesBadHandlers {
    static final String CASES = "cases = {\n"
            + "  ['/error'] = function() error('boom on purpose') end,\n"
            + "  ['/error-table'] = function() error({code = 7}) end,\n"
            + "  ['/crlf-value'] = function() return 'x', 200, {['X-Bad'] = 'a\\r\\nInjected: yes'} end,\n"
            + "  ['/lf-value'] = function() return 'x', 200, {['X-Bad'] = 'a\\nb'} end,\n"
            + "  ['/nul-value'] = function() return 'x', 200, {['X-Bad'] = 'a\\0b'} end,\n"
            + "  ['/space-name'] = function() return 'x', 200, {['X Bad'] = 'v'} end,\n"
            + "  ['/crlf-name'] = function() return 'x', 200, {['X-Bad\\r\\nInjected'] = 'v'} end,\n"
            + "  ['/empty-name'] = function() return 'x', 200, {[''] = 'v'} end,\n"
            + "  ['/number-name'] = function() return 'x', 200, {'v'} end,\n"
            + "  ['/table-value'] = function() return 'x', 200, {['X-Bad'] = {}} end,\n"
            + "  ['/bool-value'] = function() return 'x', 200, {['X-Bad'] = true} end,\n"
            + "  ['/headers-string'] = function() return 'x', 200, 'X-Bad: v' end,\n"
            + "  ['/status-99999'] = function() return 'x', 99999 end,\n"
            + "  ['/status-0'] = function() return 'x', 0 end,\n"
            + "  ['/status-101'] = function() return 'x', 101 end,\n"
            + "  ['/status-fraction'] = function() return 'x', 200.5 end,\n"
            + "  ['/status-word'] = function() return 'x', 'OK' end,\n"
            + "  ['/status-table'] = function() return 'x', {} end,\n"
            + "  ['/body-function'] = function() return function() end end,\n"
            + "  ['/body-boolean'] = function() return true end,\n"
            + "  ['/body-cycle'] = function() local t = {}; t.self = t; return t end,\n"
            + "  ['/slow'] = function() sleep(0.6); return 'slow ok' end,\n"
            + "}\n";

    TestSupport.Lua lua;
    int port;

    @BeforeEach
    void start() throws Exception {
        lua = new TestSupport.Lua();
        port = lua.run(CASES + "srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path)\n"
                + "  local f = cases[path]\n"
                + "  if f then return f() end\n"
                + "  return 'ok ' .. path, 200, {['X-Fine'] = 'caf\\195\\169', ['Content-Length'] = '999'}\n"
                + "end, {headerTimeout = 300}))").arg1().toint();
    }

    @AfterEach
    void stop() throws Exception {
        lua.run("srv:stop()");
        lua.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/error|boom on purpose",
            "/crlf-value|header 'X-Bad' (control character CR)",
            "/lf-value|header 'X-Bad' (control character LF)",
            "/nul-value|header 'X-Bad' (control character 0x00)",
            "/space-name|bad header name 'X Bad' (not an HTTP token)",
            "/crlf-name|(not an HTTP token)",
            "/empty-name|empty header name",
            "/number-name|bad header name 1 (a string expected)",
            "/table-value|(string or number expected, got table)",
            "/bool-value|(string or number expected, got boolean)",
            "/headers-string|bad headers (table expected, got string)",
            "/status-99999|bad status 99999 (an integer 200..599 expected)",
            "/status-0|bad status 0",
            "/status-101|bad status 101",
            "/status-fraction|bad status 200.5",
            "/status-word|bad status 'OK'",
            "/status-table|bad status table",
            "/body-function|bad body (string, number, table or nil expected, got function)",
            "/body-boolean|got boolean)",
            "/body-cycle|body table cannot be sent as JSON",
    })
    void failureGives500AndAReport(String path, String reported) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(RawHttp.get(path, "")).read();
            assertEquals(500, r.status, r.toString());
            assertEquals("internal server error\n", r.body);
            assertFalse(r.headers.containsKey("x-bad"), r.toString());
            assertFalse(r.headers.containsKey("injected"), r.toString());
            // reported before the response was written, so it is there now
            List<String> errors = lua.errors.stream().map(LuaScriptException::getMessage).collect(Collectors.toList());
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains(reported), errors.toString());
            if (!path.equals("/error")) {
                assertTrue(errors.get(0).startsWith("HTTP handler (test.lua:"), errors.toString());
                assertTrue(errors.get(0).contains(" for GET " + path + ": "), errors.toString());
            }
            // the same connection goes on
            RawHttp.Response ok = c.send(RawHttp.get("/after", "")).read();
            assertEquals(200, ok.status, ok.toString());
            assertEquals("ok /after", ok.body);
        }
    }

    @Test
    void curlGets500ForAHeaderWithCrLfAndForABadStatus() throws Exception {
        for (String path : new String[] {"/crlf-value", "/status-99999"}) {
            TestSupport.Proc p = TestSupport.exec(TestSupport.cmd("curl", "-sS", "--max-time", "10", "-o", "/dev/null",
                    "-w", "%{http_code}", "http://127.0.0.1:" + port + path), null);
            assertEquals("500", p.out.trim(), p.out);
        }
        assertEquals(2, lua.errors.size(), lua.errors.toString());
    }

    @Test
    void raisedErrorIsReportedWithItsTraceback() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(500, c.send(RawHttp.get("/error", "")).read().status);
        }
        LuaScriptException e = lua.errors.get(0);
        assertTrue(e.getMessage().startsWith("test.lua:2: boom on purpose"), e.getMessage());
        assertTrue(e.traceback() != null && e.traceback().contains("test.lua:2"), String.valueOf(e.traceback()));
    }

    @Test
    void errorValueThatIsATableIsReportedAsItIs() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            assertEquals(500, c.send(RawHttp.get("/error-table", "")).read().status);
        }
        assertEquals(1, lua.errors.size(), lua.errors.toString());
        assertEquals(7, lua.errors.get(0).value().get("code").toint());
    }

    @Test
    void handlerHeadersGoOutAsBytesAndFramingStaysTheServers() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(RawHttp.get("/fine", "")).read();
            assertEquals(200, r.status);
            assertEquals("ok /fine", r.body);
            assertEquals("8", r.headers.get("content-length"), "the handler's Content-Length is ignored");
            assertEquals("caf\u00c3\u00a9", r.headers.get("x-fine"), "UTF-8 bytes as they are (read here as Latin-1)");
            // HEAD of a failing handler: 500 with no body
            c.send("HEAD /status-0 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response h = c.readHead();
            assertEquals(500, h.status);
        }
        assertEquals(1, lua.errors.size());
    }

    @Test
    void slowHandlerOutlivesTheReadTimeouts() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(RawHttp.get("/slow", "")).read();
            assertEquals(200, r.status);
            assertEquals("slow ok", r.body);
        }
        assertTrue(lua.errors.isEmpty(), lua.errors.toString());
    }
}
