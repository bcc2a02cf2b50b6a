package eplua.net.http;

import eplua.net.common.Peers;
import eplua.net.common.WithLua;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Varargs;

import java.nio.file.Path;

import static eplua.net.common.Peers.OUTCOME;
import static eplua.net.common.Peers.assertWord;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HTTP client failures against real peers read with the shared words: task style {@code http.request} -> nil, err;
 * callback style {@code net.HTTPClient():request} -> error(err), where a timeout is the bare word, as in EPLua.
 */
class HttpFailureWords extends WithLua {
    /** Requests {@code url} in both styles; returns the two errors. */
    private Varargs both(String url, int timeoutMs) throws Exception {
        return lua.run(OUTCOME + String.join("\n",
                "local url = '" + url + "'",
                "local _, err = http.request({url = url, timeout = " + timeoutMs + "})",
                "local err2 = outcome(function(cb) net.HTTPClient({timeout = " + timeoutMs + "}):request(url, cb) end)",
                "return err, err2"));
    }

    private void assertBoth(String word, Varargs r) {
        assertWord(word, r.arg(1).optjstring(null));
        assertWord(word, r.arg(2).optjstring(null));
    }

    @Test
    void dnsFailureReadsResolve() throws Exception {
        assertBoth("resolve", both("http://" + Peers.UNRESOLVABLE + "/", 5000));
    }

    @Test
    void refusedConnectReadsRefused() throws Exception {
        try (Peers.Refusing peer = new Peers.Refusing()) {
            assertBoth("refused", both("http://127.0.0.1:" + peer.port + "/", 5000));
        }
    }

    @Test
    void silentServerReadsTimeoutAndTheCallbackGetsTheBareWord() throws Exception {
        try (Peers.Silent peer = new Peers.Silent()) {
            Varargs r = both("http://127.0.0.1:" + peer.port + "/", 200);
            assertWord("timeout", r.arg(1).tojstring());
            assertEquals("timeout", r.arg(2).tojstring());
        }
    }

    @Test
    void serverResetReadsReset() throws Exception {
        try (Peers.Resetting peer = new Peers.Resetting(true)) {
            assertBoth("reset", both("http://127.0.0.1:" + peer.port + "/", 5000));
        }
    }

    @Test
    void untrustedCertificateReadsTls(@TempDir Path tmp) throws Exception {
        try (Peers.UntrustedTls peer = new Peers.UntrustedTls(tmp)) {
            assertBoth("tls", both("https://127.0.0.1:" + peer.port + "/", 5000));
        }
    }
}
