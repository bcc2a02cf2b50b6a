package eplua.net.tcp;

import eplua.net.common.Peers;
import eplua.net.common.WithLua;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import static eplua.net.common.Peers.OUTCOME;
import static eplua.net.common.Peers.assertWord;

/** TCP failures against real peers read with the shared words, in both styles (task: nil, err; callback: error). */
class TcpFailureWords extends WithLua {
    private void assertBoth(String word, String chunk) throws Exception {
        Varargs r = lua.run(OUTCOME + chunk);
        assertWord(word, r.arg(1).optjstring(null));
        assertWord(word, r.arg(2).optjstring(null));
    }

    /** Connects to {@code host:port} in both styles; asserts both errors start with {@code word}. */
    private void assertConnectFails(String word, String host, int port) throws Exception {
        String at = "'" + host + "', " + port;
        assertBoth(word, "local _, err = create_tcp_socket():connect_async(" + at + ")\n"
                + "return err, outcome(function(cb) net.TCPSocket():connect(" + at + ", cb) end)");
    }

    @Test
    void dnsFailureReadsResolve() throws Exception {
        assertConnectFails("resolve", Peers.UNRESOLVABLE, 80);
    }

    @Test
    void refusedConnectReadsRefused() throws Exception {
        try (Peers.Refusing peer = new Peers.Refusing()) {
            assertConnectFails("refused", "127.0.0.1", peer.port);
        }
    }

    @Test
    void readFromSilentPeerReadsTimeout() throws Exception {
        try (Peers.Silent peer = new Peers.Silent()) {
            assertBoth("timeout", String.join("\n",
                    "local s = create_tcp_socket(); s:settimeout(0.2)",
                    "assert(s:connect_async('127.0.0.1', " + peer.port + "))",
                    "local _, err = s:receive_async(); s:close()",
                    "local c = net.TCPSocket({timeout = 200})",
                    "local err2 = outcome(function(cb) c:connect('127.0.0.1', " + peer.port + ", {",
                    "  success = function() c:read(cb) end, error = cb.error}) end)",
                    "c:close()",
                    "return err, err2"));
        }
    }

    @Test
    void peerResetReadsReset() throws Exception {
        // the peer resets once the client has sent something (resetting at once could fail the connect itself)
        try (Peers.Resetting peer = new Peers.Resetting(true)) {
            assertBoth("reset", String.join("\n",
                    "local s = create_tcp_socket()",
                    "assert(s:connect_async('127.0.0.1', " + peer.port + "))",
                    "assert(s:send_async('hello'))",
                    "local _, err = s:receive_async(); s:close()",
                    "local c = net.TCPSocket()",
                    "local err2 = outcome(function(cb) c:connect('127.0.0.1', " + peer.port + ", {",
                    "  success = function() c:send('hello'); c:read(cb) end, error = cb.error}) end)",
                    "c:close()",
                    "return err, err2"));
        }
    }
}
