package eplua.net.common;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every misuse of a net module's Lua API raises an error that names the script's file and line (the line of the
 * call), never a line inside eplua's own Lua files, however deep in them the check ran: one test per module, each
 * calling many misuses, one per line of a chunk named {@code args.lua}.
 */
class ArgumentErrorsNameCallerLine {
    private final List<LuaScriptException> reported = new CopyOnWriteArrayList<>();
    private final Engine engine = Engine.builder().keepJvmAlive(false).errorHandler(reported::add).build();

    @AfterEach
    void close() throws InterruptedException {
        assertTrue(engine.awaitIdle(Duration.ofSeconds(10)), "engine did not go idle");
        engine.close();
        assertTrue(reported.isEmpty(), "errors reported: " + reported);
    }

    /**
     * Runs {@code setup} (one line), then each misuse on its own line under pcall, then {@code teardown}; asserts that
     * each raised and that its message starts with {@code args.lua:<its line>: }.
     */
    private void assertEachBlamesItsLine(String setup, String teardown, String... misuses) throws Exception {
        StringBuilder chunk = new StringBuilder();
        chunk.append("local errs = {}; local function try(f) local ok, e = pcall(f); return ok and 'no error' or tostring(e) end\n");
        chunk.append(setup).append('\n');
        int first = 3;
        for (String m : misuses) chunk.append("errs[#errs + 1] = try(function() ").append(m).append(" end)\n");
        chunk.append(teardown).append("\nreturn errs\n");
        LuaValue errs = engine.eval(chunk.toString(), "args.lua").get(20, TimeUnit.SECONDS).arg1();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < misuses.length; i++) {
            String err = errs.get(i + 1).tojstring();
            String want = "args.lua:" + (first + i) + ": ";
            if (!err.startsWith(want) || err.length() == want.length()) wrong.add(misuses[i] + "  ->  " + err);
        }
        assertEquals(List.of(), wrong, "misuses whose error does not name their own line");
    }

    @Test
    void anotherModulesLuaFileCheckingWithCoreArgsIsSkippedToo() throws Exception {
        // a library chunk of its own (as a third-party module's Lua file) whose function checks through a helper
        engine.eval(String.join("\n",
                "local A = _eplua.core.args",
                "local function name_of(x) return A.check(x, 'string', 1, 'greet') end",
                "greeter = {greet = function(x) return 'hi ' .. name_of(x) end}"), "greeter.lua").get(10, TimeUnit.SECONDS);
        assertEachBlamesItsLine("", "", "greeter.greet(42)", "greeter.greet({})");
    }

    @Test
    void tcpMisuseNamesTheCallersLine() throws Exception {
        assertEachBlamesItsLine(
                "local s, cb, srv, ls = create_tcp_socket(), net.TCPSocket(), net.TCPServer(), create_tcp_server()", "",
                "s:connect_async(42, 80)",
                "s:connect_async('127.0.0.1', 70000)",
                "s:receive_async(-1)",
                "s:receive_async('*x')",
                "s:send_async({})",
                "s:settimeout('soon')",
                "cb:connect('127.0.0.1', 0, {})",
                "cb:readUntil('', {})",
                "cb:read('x')",
                "cb:send('x', 'not a table')",
                "net.TCPSocket(5)",
                "net.TCPSocket({timeout = 'x'})",
                "srv:start('127.0.0.1', -1, function() end)",
                "srv:start('127.0.0.1', 0, 'nope')",
                "ls:listen(nil, 0)",
                "net.TCPServer(5)");
    }

    @Test
    void udpMisuseNamesTheCallersLine() throws Exception {
        assertEachBlamesItsLine("local s, u = create_udp_socket(), net.UDPSocket()", "",
                "s:bind('127.0.0.1', 65536)",
                "s:bind(1, 0)",
                "s:send_to_async({}, '127.0.0.1', 1)",
                "s:send_to_async('x', '127.0.0.1', 0)",
                "s:send_to_async('x', 5, 1)",
                "s:setoption('nope', true)",
                "s:settimeout({})",
                "u:sendTo('x', '127.0.0.1', 9, 5)",
                "u:receive(5)",
                "u:bind('127.0.0.1', 'x')",
                "net.UDPSocket('x')",
                "net.UDPSocket({timeout = 'x'})",
                "create_udp_socket(5)");
    }

    @Test
    void httpMisuseNamesTheCallersLine() throws Exception {
        assertEachBlamesItsLine(
                "local c, srv, up = net.HTTPClient(), net.HTTPServer(), net.HTTPServer(); assert(up:start('127.0.0.1', 0, function() end))",
                "up:stop()",
                "http.request(42)",
                "http.request('ftp://x/')",
                "http.request({url = 'http://x/', headers = 5})",
                "c:request(42, {})",
                "c:request('http://', {})",
                "c:request('http://x/', 5)",
                "net.HTTPClient(5)",
                "net.HTTPServer(5)",
                "srv:start(1, 0, function() end)",
                "srv:start('127.0.0.1', 'x', function() end)",
                "srv:start('127.0.0.1', 0, 'nope')",
                "srv:start('127.0.0.1', 0, function() end, {cert = 'c.pem'})",
                "up:start('127.0.0.1', 0, function() end)");
    }

    @Test
    void wsMisuseNamesTheCallersLine() throws Exception {
        assertEachBlamesItsLine(
                "local c, srv, up = net.WebSocketClient(), net.WebSocketServer(), net.WebSocketServer(); assert(up:start('127.0.0.1', 0))",
                "up:stop()",
                "net.WebSocketClient(5)",
                "net.WebSocketClientTls('x')",
                "c:addEventListener(5, print)",
                "c:addEventListener('connected', 5)",
                "c:connect(42)",
                "c:connect('http://x/')",
                "c:connect_async('ws://x/', 5)",
                "c:send({})",
                "c:send('x', 5)",
                "c:send_async({})",
                "c:receive_async('soon')",
                "net.WebSocketServer(5)",
                "net.WebSocketServer({cert = 'c.pem'})",
                "srv:start(1, 0)",
                "srv:start('127.0.0.1', 'x')",
                "srv:start('127.0.0.1', 0, 5)",
                "srv:send(1, 'x')",
                "srv:accept_async()",
                "up:start('127.0.0.1', 0)",
                "up:send('x', 'y')",
                "up:send(1, {})",
                "up:send_async(1, 'x', 5)",
                "up:accept_async('soon')");
    }

    @Test
    void mqttMisuseNamesTheCallersLine() throws Exception {
        // a client whose broker refuses: it exists (and fails on its own), so argument checks of its methods run
        assertEachBlamesItsLine(
                "local c, fresh = mqtt.Client.connect('mqtt://127.0.0.1:1', {timeout = 1000}), net.MQTTClient()", "",
                "mqtt.Client.connect(42)",
                "mqtt.Client.connect('http://x')",
                "mqtt.Client.connect('mqtt://x', 5)",
                "mqtt.Client.connect('mqtt://x', {lastWill = {payload = 'x'}})",
                "mqtt.Client.connect('mqtt://x', {callback = 5})",
                "mqtt.connect_async(42)",
                "c:connect('mqtt://x')",
                "c:publish(nil, 'x')",
                "c:publish('t', 'x', {qos = 3})",
                "c:publish('t', {})",
                "c:subscribe({})",
                "c:subscribe('t', 5)",
                "c:unsubscribe(5)",
                "c:addEventListener('nope', print)",
                "c:addEventListener('message', 5)",
                "c:next_message_async('soon')",
                "c:disconnect(5)",
                "c:publish_async(nil)",
                "c:subscribe_async(5)",
                "c.publish(5, 't')",
                "fresh:publish('t', 'x')");
    }
}
