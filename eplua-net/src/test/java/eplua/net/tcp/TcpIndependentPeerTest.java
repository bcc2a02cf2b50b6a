package eplua.net.tcp;

import eplua.core.Engine;
import eplua.core.LuaScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP from Lua against peers that are not ours: a python3 server, plain Java sockets. */
class TcpIndependentPeerTest {
    private Engine engine;
    private final List<LuaScriptException> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        engine = Engine.builder().keepJvmAlive(false).errorHandler(errors::add).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        assertTrue(errors.isEmpty(), () -> "errors reported: " + errors);
    }

    private Varargs run(String script) throws Exception {
        Varargs v = engine.eval(script, "test.lua").get(20, TimeUnit.SECONDS);
        assertTrue(engine.awaitIdle(Duration.ofSeconds(10)), "engine did not go idle");
        return v;
    }

    @Test
    void binaryEchoThroughPythonBothStyles() throws Exception {
        try (PythonPeer peer = new PythonPeer("tcp-echo")) {
            Varargs r = run(String.join("\n",
                    "local port = " + peer.port,
                    "local t = {}",
                    "for rep = 1, 40 do for i = 0, 255 do t[#t + 1] = string.char(i) end end",
                    "local payload = table.concat(t)", // 10 KiB, every byte value
                    "local s = create_tcp_socket()",
                    "s:settimeout(5)",
                    "assert(s:connect_async('127.0.0.1', port))",
                    "assert(s:send_async(payload))",
                    "local parts, n = {}, 0",
                    "while n < #payload do", // receive_async(n): up to n bytes, as they arrive
                    "  local d = assert(s:receive_async(#payload - n)); parts[#parts + 1] = d; n = n + #d",
                    "end",
                    "local back = table.concat(parts)",
                    "s:close()",
                    "local cb_back = {}",
                    "local done = false",
                    "local c = net.TCPSocket({timeout = 5000})",
                    "c:connect('127.0.0.1', port, {success = function()",
                    "  c:send(payload:reverse())",
                    "  local n = 0",
                    "  local function rd() c:read({success = function(d)",
                    "    cb_back[#cb_back + 1] = d; n = n + #d",
                    "    if n < #payload then rd() else c:close(); done = true end end,",
                    "    error = function(e) error(e) end}) end",
                    "  rd()",
                    "end, error = function(e) error(e) end})",
                    "while not done do sleep(0.01) end",
                    "return back == payload, table.concat(cb_back) == payload:reverse(), #back"));
            assertTrue(r.arg(1).toboolean(), "task-style echo differs");
            assertTrue(r.arg(2).toboolean(), "callback-style echo differs");
            assertEquals(10240, r.arg(3).toint());
        }
    }

    @Test
    void peerClosingMidReadGivesTheBytesThenClosed() throws Exception {
        try (PythonPeer peer = new PythonPeer("tcp-abc-close")) {
            Varargs r = run(String.join("\n",
                    "local s = create_tcp_socket()",
                    "assert(s:connect_async('127.0.0.1', " + peer.port + "))",
                    "local d = s:receive_async(10)", // the peer sends 3 bytes then closes: they come first
                    "local none, err = s:receive_async(10)",
                    "s:close()",
                    "return d, none, err"));
            assertEquals("abc", r.arg(1).tojstring());
            assertTrue(r.arg(2).isnil());
            assertEquals("closed", r.arg(3).tojstring());
        }
    }

    @Test
    void refusedByAFreedPort() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ss.getLocalPort();
        }
        Varargs r = run(String.join("\n",
                "local s = create_tcp_socket()",
                "local ok, err = s:connect_async('127.0.0.1', " + port + ")",
                "local cb_err",
                "net.TCPSocket():connect('127.0.0.1', " + port + ", {error = function(e) cb_err = e end})",
                "while not cb_err do sleep(0.01) end",
                "return ok, err, cb_err"));
        assertTrue(r.arg(1).isnil());
        assertTrue(r.arg(2).tojstring().startsWith("refused"), r.arg(2).tojstring());
        assertTrue(r.arg(3).tojstring().startsWith("refused"), r.arg(3).tojstring());
    }

    @Test
    void engineCloseClosesSocketsAndServers() throws Exception {
        try (ServerSocket peer = new ServerSocket()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<Integer> eof = CompletableFuture.supplyAsync(() -> {
                try (Socket s = peer.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(10_000);
                    return in.read(); // -1 once the engine closed its end
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Varargs r = engine.eval(String.join("\n",
                    "local s = create_tcp_socket()",
                    "assert(s:connect_async('127.0.0.1', " + peer.getLocalPort() + "))",
                    "local srv = net.TCPServer()",
                    "local port = srv:start('127.0.0.1', 0, function() end)",
                    "local u = create_udp_socket()",
                    "u:bind('127.0.0.1', 0)",
                    "spawn(function() s:receive_async() end)", // a read left pending
                    "return port"), "open.lua").get(10, TimeUnit.SECONDS);
            int serverPort = r.arg1().toint();
            assertTrue(engine.isAlive(), "open sockets keep the engine alive");
            engine.close();
            assertEquals(-1, eof.get(10, TimeUnit.SECONDS));
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", serverPort), 2000);
                throw new AssertionError("server still accepting after engine close");
            } catch (java.net.ConnectException expected) {
                // refused: the listening socket is gone
            }
        }
    }

    @Test
    void manyConnectionsFromPlainJavaClients() throws Exception {
        // 50 plain Java clients against a Lua callback-style echo server
        CompletableFuture<Varargs> started = engine.eval(String.join("\n",
                "srv = net.TCPServer()",
                "accepted = 0",
                "return srv:start('127.0.0.1', 0, function(c)",
                "  accepted = accepted + 1",
                "  local function loop() c:read({success = function(d) c:send(d); loop() end,",
                "    error = function() c:close() end}) end",
                "  loop()",
                "end)"), "server.lua");
        int port = started.get(10, TimeUnit.SECONDS).arg1().toint();
        List<CompletableFuture<Boolean>> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int id = i;
            clients.add(CompletableFuture.supplyAsync(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    byte[] msg = new byte[256];
                    for (int b = 0; b < 256; b++) msg[b] = (byte) (b ^ id);
                    OutputStream out = s.getOutputStream();
                    out.write(msg);
                    byte[] back = s.getInputStream().readNBytes(256);
                    return java.util.Arrays.equals(msg, back);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, java.util.concurrent.Executors.newCachedThreadPool()));
        }
        for (CompletableFuture<Boolean> c : clients) assertTrue(c.get(20, TimeUnit.SECONDS));
        Varargs n = engine.eval("local n = accepted; srv:stop(); return n", "stop.lua").get(10, TimeUnit.SECONDS);
        assertEquals(50, n.arg1().toint());
    }
}
