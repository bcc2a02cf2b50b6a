package eplua.net.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Structured cancellation reaches the network (issue 13): a task cancelled while it waits in a network operation ends
 * that operation, and the sockets it opened are closed, so the peer sees the connection end and the engine goes idle
 * (a script would exit). The peers are plain Java sockets on 127.0.0.1 that read until the end of the stream.
 */
class CancelledTasksCloseTheirSockets extends WithLua {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final Lookups.Lookup system = Lookups.lookup;

    CancelledTasksCloseTheirSockets() throws IOException {
    }

    @AfterEach
    void closeServer() throws IOException {
        Lookups.lookup = system;
        server.close();
    }

    /** Accepts one connection on a thread of its own. */
    private CompletableFuture<Socket> acceptOne() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = server.accept();
                s.setSoTimeout(10_000);
                return s;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Reads until the end of the stream (-1 when the other side closed; a timeout fails the test). */
    private static byte[] readToEnd(Socket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    /**
     * Starts the task {@code reader}: it makes the socket {@code sock} with {@code make}, connects it to the server and
     * waits in receive_async. Returns the server's side once the task waits.
     */
    private Socket readerWaiting(String make) throws Exception {
        CompletableFuture<Socket> peer = acceptOne();
        CompletableFuture<String> reading = lua.signal("reading");
        lua.run(String.join("\n",
                "reader = spawn(function()",
                "  sock = " + make,
                "  assert(sock:connect_async('127.0.0.1', " + server.getLocalPort() + "))",
                "  reading('yes')",
                "  return sock:receive_async()",
                "end)"));
        Socket s = peer.get(10, TimeUnit.SECONDS);
        reading.get(10, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void cancelledInReceiveTheSocketItOpenedIsClosed() throws Exception {
        Socket s = readerWaiting("create_tcp_socket()");
        assertEquals("cancelled", lua.run("reader:cancel(); return reader:status()").arg1().tojstring());
        assertEquals(0, readToEnd(s).length, "the peer sees the end of the stream");
        assertTrue(lua.engine.awaitIdle(Duration.ofSeconds(5)), "nothing keeps the engine alive any more");
        s.close();
    }

    @Test
    void cancelledInHttpRequestTheConnectionIsClosedNotPooled() throws Exception {
        CompletableFuture<Socket> peer = acceptOne();
        lua.run(String.join("\n",
                "requester = spawn(function()",
                "  return http.request({url = 'http://127.0.0.1:" + server.getLocalPort() + "/never', timeout = 60000})",
                "end)"));
        Socket s = peer.get(10, TimeUnit.SECONDS);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the request arrives whole: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("GET /never HTTP/1.1"), head.toString());
        assertEquals("cancelled", lua.run("requester:cancel(); return requester:status()").arg1().tojstring());
        assertEquals(0, readToEnd(s).length, "the server sees the connection closed");
        assertTrue(lua.engine.awaitIdle(Duration.ofSeconds(5)), "the abandoned request keeps nothing alive");
        s.close();
    }

    @Test
    void cancelledInConnectTheConnectIsAborted() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Lookups.lookup = host -> {
            if (!host.equals("slow.example")) return system.all(host);
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        };
        lua.run(String.join("\n",
                "connector = spawn(function()",
                "  return create_tcp_socket():connect_async('slow.example', " + server.getLocalPort() + ")",
                "end)"));
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the connect is looking the name up");
        assertEquals("cancelled", lua.run("connector:cancel(); return connector:status()").arg1().tojstring());
        assertTrue(lua.engine.awaitIdle(Duration.ofSeconds(5)), "the aborted connect keeps nothing alive");
        release.countDown(); // the name is found now, too late: nobody connects
        server.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, server::accept, "an aborted connect never reaches the server");
    }

    @Test
    void aDetachedSocketOutlivesItsCancelledTask() throws Exception {
        Socket s = readerWaiting("create_tcp_socket():detach()");
        lua.run("reader:cancel()");
        s.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
        assertEquals("still here", lua.run("return sock:receive_async(100)").arg1().tojstring(),
                "the socket is open, and the cancelled read did not take the bytes");
        lua.run("sock:close()");
        assertEquals(0, readToEnd(s).length);
        s.close();
    }
}
