package eplua.net.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The handler's header table: names in lower case whatever case the peer used, the values of a repeated name joined
 * with ", " in the order sent, and a value's bytes as the peer sent them (UTF-8 stays UTF-8, not re-encoded). The
 * body was read whole, so its length is there too.
 */
class RequestHeadersReachTheHandlerAsSent {
    final TestSupport.Lua lua = new TestSupport.Lua();

    @AfterEach
    void stop() throws Exception {
        lua.run("if srv then srv:stop() end");
        try {
            lua.assertIdle();
        } finally {
            lua.close();
        }
    }

    @Test
    void namesLowerCasedRepeatsJoinedBytesKept() throws Exception {
        int port = lua.run("srv = net.HTTPServer()\n"
                + "return assert(srv:start('127.0.0.1', 0, function(method, path, body, h)\n"
                + "  local n = 0\n"
                + "  for k in pairs(h) do n = n + 1 end\n"
                + "  return table.concat({ h['x-multi'], h['x-utf'], #h['x-utf'], tostring(h['X-Multi']),\n"
                + "    h.host, h['content-length'], n }, '|')\n"
                + "end))").arg1().toint();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes("GET / HTTP/1.1\r\nHost: here\r\nX-Multi: a\r\nx-MULTI: b\r\nX-Utf: ".getBytes(StandardCharsets.US_ASCII));
        req.writeBytes("été".getBytes(StandardCharsets.UTF_8));
        req.writeBytes("\r\nx-multi: c\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawHttp c = new RawHttp(port)) {
            RawHttp.Response r = c.send(req.toByteArray()).read();
            assertEquals(200, r.status, r.toString());
            assertEquals("a, b, c|été|5|nil|here|0|4", r.body);
        }
    }
}
