package eplua.net.tcp;

import eplua.core.Engine;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connect that gets no answer ends with "timeout", in both styles. On loopback, a listener that never accepts
 * and whose accept queue is full makes Linux drop further SYNs: the next connect just waits.
 */
class ConnectTimesOutWhenBacklogIsFull {
    @Test
    void connectTimeoutBothStyles() throws Exception {
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Engine engine = Engine.builder().keepJvmAlive(false).build()) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            for (int i = 0; i < 4; i++) { // fill the accept queue (backlog + 1) and the SYN queue behind it
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(at);
                fillers.add(c);
            }
            long t0 = System.nanoTime();
            Varargs r = engine.eval(String.join("\n",
                    "local port = " + at.getPort(),
                    "local s = create_tcp_socket()",
                    "s:settimeout(0.3)",
                    "local ok, err = s:connect_async('127.0.0.1', port)",
                    "local cb_err",
                    "local done = false",
                    "net.TCPSocket({timeout = 300}):connect('127.0.0.1', port, {",
                    "  success = function() done = true end,",
                    "  error = function(e) cb_err = e; done = true end })",
                    "while not done do sleep(0.05) end",
                    "return ok, err, cb_err"), "connect_timeout.lua").get(20, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(r.arg1().isnil(), "connect should not succeed");
            assertTrue(r.arg(2).tojstring().startsWith("timeout"), r.arg(2).tojstring());
            assertTrue(r.arg(3).tojstring().startsWith("timeout"), r.arg(3).tojstring());
            assertTrue(ms < 10_000, "timed out only after " + ms + " ms");
        } finally {
            for (SocketChannel c : fillers) c.close();
        }
    }
}
