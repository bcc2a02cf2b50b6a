package eplua.net.common;

import eplua.net.mqtt.Mosquitto;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every handle that keeps the engine alive can be unref'd, at creation ({@code {system = true}}, EPLua's
 * {@code WebSocketServer(opts, true)}) or with {@code :unref()}: the engine then goes idle while it is open (a script
 * would exit), and it still works when used. {@code :ref()} makes it keep the engine alive again. The peers are plain
 * Java sockets, an HTTP client of the JDK, mosquitto.
 */
class UnrefdHandlesLetTheEngineGoIdle extends WithLua {
    private boolean idle() throws InterruptedException {
        return lua.engine.awaitIdle(Duration.ofSeconds(5));
    }

    /** Still busy after a while: something keeps the engine alive. */
    private boolean busy() throws InterruptedException {
        return !lua.engine.awaitIdle(Duration.ofMillis(300));
    }

    @Test
    void aSystemTcpServerServesWhileTheEngineIsIdle() throws Exception {
        int port = lua.run(String.join("\n",
                "srv = net.TCPServer({system = true})",
                "return srv:start(nil, 0, function(c)", // nil host: 127.0.0.1, as EPLua
                "  c:read({success = function(d) c:send(d:upper()) end})",
                "end)")).arg1().toint();
        assertTrue(idle(), "an unref'd server keeps nothing alive");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals("PING", new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
            assertTrue(idle(), "nor does the connection it accepted, with a read pending");
        }
        lua.run("srv:ref()");
        assertTrue(busy(), "ref'd again, it keeps the engine alive");
        lua.run("srv:unref()");
        assertTrue(idle());
        lua.run("srv:stop()");
    }

    @Test
    void unrefdTaskStyleServerAndSocket() throws Exception {
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.accept();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            lua.run(String.join("\n",
                    "server = create_tcp_server():unref()",
                    "assert(server:listen('127.0.0.1', 0))",
                    "sock = create_tcp_socket({system = true})",
                    "assert(sock:connect_async('127.0.0.1', " + peer.getLocalPort() + "))"));
            try (Socket s = accepted.get(10, TimeUnit.SECONDS)) {
                assertTrue(idle(), "an unref'd listening server and an unref'd connected socket keep nothing alive");
                s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
                assertEquals("x", lua.run("return sock:receive_async(1)").arg1().tojstring(), "the socket still works");
                lua.run("sock:ref()");
                assertTrue(busy());
                lua.run("sock:close(); server:close()");
                assertTrue(idle());
            }
        }
    }

    @Test
    void anUnrefdUdpSocketReceivesWhileTheEngineIsIdle() throws Exception {
        CompletableFuture<String> got = lua.signal("got");
        int port = lua.run(String.join("\n",
                "u = net.UDPSocket({system = true})",
                "local port = assert(u:bind('127.0.0.1', 0))",
                "u:receive({success = function(d) got(d) end})",
                "return port")).arg1().toint();
        assertTrue(idle(), "a pending receive on an unref'd socket keeps nothing alive");
        try (DatagramSocket d = new DatagramSocket()) {
            byte[] b = "dgram".getBytes(StandardCharsets.US_ASCII);
            d.send(new DatagramPacket(b, b.length, InetAddress.getByName("127.0.0.1"), port));
        }
        assertEquals("dgram", got.get(10, TimeUnit.SECONDS));
        lua.run("u:close()");
    }

    @Test
    void anUnrefdHttpServerAnswersWhileTheEngineIsIdle() throws Exception {
        int port = lua.run(String.join("\n",
                "h = net.HTTPServer()",
                "local port = assert(h:start(nil, 0, function(method, path) return 'hello ' .. path end))",
                "h:unref()",
                "return port")).arg1().toint();
        assertTrue(idle());
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/x").openConnection();
        assertEquals(200, c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            assertEquals("hello /x", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        c.disconnect();
        assertTrue(idle());
        lua.run("h:stop()");
    }

    @Test
    void aRequestOfAnUnrefdHttpClientKeepsNothingAlive() throws Exception {
        try (Peers.Silent silent = new Peers.Silent()) {
            lua.run(String.join("\n",
                    "failed = nil",
                    "net.HTTPClient({system = true}):request('http://127.0.0.1:" + silent.port + "/', {",
                    "  options = {timeout = 60000}, error = function(e) failed = e end})"));
            assertTrue(idle(), "a callback-style request of an unref'd client waits in the background");
        }
    }

    @Test
    void epluaBackgroundWebSocketServerAndAnUnrefdClient() throws Exception {
        int port = lua.run(String.join("\n",
                "w = net.WebSocketServer({}, true)", // EPLua: true = background
                "return assert(w:start(nil, 0, {receive = function(cid, data) w:send(cid, data:upper()) end}))"))
                .arg1().toint();
        assertTrue(idle(), "a background server keeps nothing alive");
        assertEquals("ECHO", lua.run(String.join("\n",
                "client = net.WebSocketClient({system = true})",
                "assert(client:connect_async('ws://127.0.0.1:" + port + "/'))",
                "assert(client:send_async('echo'))",
                "return client:receive_async(5000)")).arg1().tojstring(), "the background server still answers");
        assertTrue(idle(), "an unref'd client and the background server's connection keep nothing alive");
        lua.run("client:ref()");
        assertTrue(busy());
        lua.run("client:close(); w:stop()");
        assertTrue(idle());
    }

    @Test
    void anUnrefdMqttClientGetsMessagesWhileTheEngineIsIdle() throws Exception {
        try (Mosquitto broker = Mosquitto.start()) {
            CompletableFuture<String> got = lua.signal("got");
            lua.run(String.join("\n",
                    "m = assert(mqtt.connect_async('mqtt://127.0.0.1:" + broker.port() + "', {system = true}))",
                    "assert(m:subscribe_async('unref/t'))",
                    "m:addEventListener('message', function(msg) got(msg.payload) end)"));
            assertTrue(idle(), "an unref'd MQTT client keeps nothing alive");
            broker.pub("-t", "unref/t", "-m", "hello");
            assertEquals("hello", got.get(10, TimeUnit.SECONDS));
            lua.run("m:ref()");
            assertTrue(busy());
            assertFalse(lua.run("m:disconnect_async(); return m:isConnected()").arg1().toboolean());
        }
    }
}
