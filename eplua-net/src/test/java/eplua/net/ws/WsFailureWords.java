package eplua.net.ws;

import eplua.net.common.Peers;
import eplua.net.common.WithLua;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Varargs;

import java.nio.file.Path;

import static eplua.net.common.Peers.assertWord;

/**
 * WebSocket client failures against real peers read with the shared words: task style {@code connect_async} ->
 * nil, err; callback style {@code connect} -> an "error" event, heard by listeners added after the connect call.
 */
class WsFailureWords extends WithLua {
    /** Connects to {@code url} in both styles; returns the two errors. */
    private void assertBoth(String word, String url) throws Exception {
        Varargs r = lua.run(String.join("\n",
                "local url, opts = '" + url + "', {timeout = 300}",
                "local _, err = net.WebSocketClient(opts):connect_async(url)",
                "local c, err2 = net.WebSocketClient(opts)",
                "c:connect(url)", // listeners added right after connect hear even a failure known at once
                "c:addEventListener('error', function(e) err2 = err2 or e end)",
                "c:addEventListener('connected', function() err2 = 'connected' end)",
                "while err2 == nil do sleep(0.01) end",
                "return err, err2"));
        assertWord(word, r.arg(1).optjstring(null));
        assertWord(word, r.arg(2).optjstring(null));
    }

    @Test
    void dnsFailureReadsResolve() throws Exception {
        assertBoth("resolve", "ws://" + Peers.UNRESOLVABLE + "/");
    }

    @Test
    void refusedConnectReadsRefused() throws Exception {
        try (Peers.Refusing peer = new Peers.Refusing()) {
            assertBoth("refused", "ws://127.0.0.1:" + peer.port + "/");
        }
    }

    @Test
    void silentServerReadsTimeout() throws Exception {
        try (Peers.Silent peer = new Peers.Silent()) {
            assertBoth("timeout", "ws://127.0.0.1:" + peer.port + "/");
        }
    }

    @Test
    void serverResetReadsReset() throws Exception {
        try (Peers.Resetting peer = new Peers.Resetting(true)) {
            assertBoth("reset", "ws://127.0.0.1:" + peer.port + "/");
        }
    }

    @Test
    void untrustedCertificateReadsTls(@TempDir Path tmp) throws Exception {
        try (Peers.UntrustedTls peer = new Peers.UntrustedTls(tmp)) {
            assertBoth("tls", "wss://127.0.0.1:" + peer.port + "/");
        }
    }
}
