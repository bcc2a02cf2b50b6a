package eplua.net.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static eplua.net.http.TestSupport.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TLS context that cannot be built (a CA file, certificate or key that cannot be loaded) reaches the script as
 * {@code nil, "tls: ..."} or the error callback, in every module that takes one, and Netty logs nothing (before, a
 * missing caFile in the HTTP client gave "closed: ..." and a stack trace on stderr).
 */
class TlsSetupFailuresReachTheScript extends WithLua {
    NettyWarnings warnings;
    String missing;
    String notPem;

    @BeforeEach
    void files(@TempDir Path tmp) throws Exception {
        warnings = NettyWarnings.start();
        missing = lit(tmp.resolve("missing-ca.pem"));
        Path junk = tmp.resolve("junk.pem");
        Files.writeString(junk, "not a certificate\n");
        notPem = lit(junk);
    }

    @AfterEach
    void nothingLogged() {
        warnings.assertNone();
    }

    String run(String script) throws Exception {
        return lua.run(script).arg1().tojstring();
    }

    @Test
    void httpClientTaskStyle() throws Exception {
        String e = run("local r, e = http.request({url = 'https://127.0.0.1:9/', caFile = " + missing + "}) return e");
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
        assertTrue(e.contains("missing-ca.pem"), e);
        e = run("local r, e = http.request({url = 'https://127.0.0.1:9/', caFile = " + notPem + "}) return e");
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
    }

    @Test
    void httpClientCallbackStyle() throws Exception {
        var settled = lua.signal("settled");
        lua.run("net.HTTPClient():request('https://127.0.0.1:9/', {options = {caFile = " + missing + "},"
                + " success = function() settled('success') end, error = function(e) settled(e) end})");
        String e = settled.get(10, TimeUnit.SECONDS);
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
    }

    @Test
    void webSocketClient() throws Exception {
        String e = run("local ws = net.WebSocketClient({caFile = " + missing + "})\n"
                + "local ok, e = ws:connect_async('wss://127.0.0.1:9/') return e");
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
        var settled = lua.signal("settled");
        lua.run("local ws = net.WebSocketClient({caFile = " + missing + "})\n"
                + "ws:addEventListener('error', function(e) settled(e) end)\n"
                + "ws:connect('wss://127.0.0.1:9/')");
        e = settled.get(10, TimeUnit.SECONDS);
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
    }

    @Test
    void mqttClient() throws Exception {
        String e = run("local c, e = mqtt.connect_async('mqtts://127.0.0.1:9', {caFile = " + missing + "}) return e");
        assertTrue(e.startsWith("tls: cannot load CA file "), e);
    }

    @Test
    void serversWithACertificateThatCannotBeLoaded() throws Exception {
        String e = run("local p, e = net.HTTPServer():start('127.0.0.1', 0, function() end, {cert = " + missing
                + ", key = " + missing + "}) return e");
        assertTrue(e.startsWith("tls: cannot load "), e);
        e = run("local p, e = net.WebSocketServer({cert = " + notPem + ", key = " + notPem + "}):start('127.0.0.1', 0)"
                + " return e");
        assertTrue(e.startsWith("tls: cannot load "), e);
        assertEquals("true", run("return net.HTTPServer ~= nil")); // and the engine goes on
    }
}
