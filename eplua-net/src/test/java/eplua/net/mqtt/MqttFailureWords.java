package eplua.net.mqtt;

import eplua.net.common.Peers;
import eplua.net.common.WithLua;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Varargs;

import java.nio.file.Path;

import static eplua.net.common.Peers.assertWord;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MQTT connect failures against real peers read with the shared words: task style {@code mqtt.connect_async} ->
 * nil, err; callback style: {@code opts.callback(-1, err)} and the "error" event's message, heard by a listener added
 * after the connect call.
 */
class MqttFailureWords extends WithLua {
    private void assertAll(String word, String uri) throws Exception {
        Varargs r = lua.run(String.join("\n",
                "local uri, opts = '" + uri + "', {timeout = 300}",
                "local _, err = mqtt.connect_async(uri, opts)",
                "local code, cbErr, evErr",
                "local c = mqtt.Client.connect(uri, {timeout = 300, callback = function(rc, e) code, cbErr = rc, e end})",
                "c:addEventListener('error', function(e) evErr = e.message end)",
                "while cbErr == nil or evErr == nil do sleep(0.01) end",
                "return err, cbErr, evErr, code"));
        for (int i = 1; i <= 3; i++) assertWord(word, r.arg(i).optjstring(null));
        assertEquals(-1, r.arg(4).toint(), "callback code");
    }

    @Test
    void dnsFailureReadsResolve() throws Exception {
        assertAll("resolve", "mqtt://" + Peers.UNRESOLVABLE);
    }

    @Test
    void refusedConnectReadsRefused() throws Exception {
        try (Peers.Refusing peer = new Peers.Refusing()) {
            assertAll("refused", "mqtt://127.0.0.1:" + peer.port);
        }
    }

    @Test
    void silentBrokerReadsTimeout() throws Exception {
        try (Peers.Silent peer = new Peers.Silent()) {
            assertAll("timeout", "mqtt://127.0.0.1:" + peer.port);
        }
    }

    @Test
    void brokerResetReadsReset() throws Exception {
        try (Peers.Resetting peer = new Peers.Resetting(true)) {
            assertAll("reset", "mqtt://127.0.0.1:" + peer.port);
        }
    }

    @Test
    void untrustedCertificateReadsTls(@TempDir Path tmp) throws Exception {
        try (Peers.UntrustedTls peer = new Peers.UntrustedTls(tmp)) {
            assertAll("tls", "mqtts://127.0.0.1:" + peer.port);
        }
    }
}
