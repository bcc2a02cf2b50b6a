package eplua.net.udp;

import eplua.core.Engine;
import eplua.net.tcp.PythonPeer;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP from Lua against a python3 echo peer. */
class UdpIndependentPeerTest {
    @Test
    void binaryRoundTripBothStyles() throws Exception {
        try (PythonPeer peer = new PythonPeer("udp-echo");
             Engine engine = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = engine.eval(String.join("\n",
                    "local t = {}",
                    "for i = 0, 255 do t[#t + 1] = string.char(i) end",
                    "local payload = table.concat(t):rep(16)", // 4 KiB: more than Netty's default 2 KiB datagram buffer
                    "local s = create_udp_socket()",
                    "s:settimeout(5)",
                    "assert(s:send_to_async(payload, '127.0.0.1', " + peer.port + "))",
                    "local d, ip, port = s:receive_async()",
                    "s:close()",
                    "local cb",
                    "local u = net.UDPSocket({timeout = 5000})",
                    "u:sendTo(payload:reverse(), '127.0.0.1', " + peer.port + ", {success = function()",
                    "  u:receive({success = function(x) cb = x; u:close() end, error = function(e) error(e) end})",
                    "end})",
                    "while not cb do sleep(0.01) end",
                    "return d == payload, ip, port, cb == payload:reverse()"), "udp.lua").get(20, TimeUnit.SECONDS);
            assertTrue(r.arg(1).toboolean(), "task-style datagram differs");
            assertEquals("127.0.0.1", r.arg(2).tojstring());
            assertEquals(peer.port, r.arg(3).toint());
            assertTrue(r.arg(4).toboolean(), "callback-style datagram differs");
            assertTrue(engine.awaitIdle(Duration.ofSeconds(10)));
        }
    }
}
