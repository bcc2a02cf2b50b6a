package eplua.net.common;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;

import static eplua.net.common.Peers.assertWord;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one mapping from Netty and JDK failures to the words of the vocabulary (the table in the README, "Network errors"). */
class NetErrorWords {
    private static String of(Throwable e) {
        return NetError.of(e, "10.0.0.1:80").getMessage();
    }

    @Test
    void eachFailureMapsToItsWord() {
        assertWord("timeout", of(new ConnectTimeoutException("connection timed out")));
        assertWord("timeout", of(new SslHandshakeTimeoutException("handshake timed out after 10000ms")));
        assertWord("resolve", of(new UnknownHostException("nonexistent.invalid")));
        assertWord("refused", of(new ConnectException("Connection refused")));
        assertWord("unreachable", of(new NoRouteToHostException("No route to host")));
        assertWord("bind", of(new BindException("Address already in use")));
        assertWord("denied", of(new BindException("Permission denied")));
        assertWord("reset", of(new IOException("Connection reset by peer")));
        assertWord("reset", of(new IOException("Broken pipe")));
        assertWord("closed", of(new ClosedChannelException()));
        assertWord("tls", of(new DecoderException(new SSLHandshakeException("PKIX path building failed"))));
        assertWord("too large", of(new TooLongFrameException("frame length exceeds 65536")));
        assertWord("too large", of(new CorruptedFrameException("Max frame length of 10 has been exceeded.")));
        assertWord("protocol", of(new CorruptedFrameException("unmasked client to server frame")));
        assertWord("protocol", of(new DecoderException("invalid MQTT packet")));
        assertWord("io", of(new IOException("Input/output error")));
    }

    @Test
    void outOfMemoryReadsTooLargeNotAJavaError() {
        assertEquals("too large: out of memory 10.0.0.1:80 (Java heap space)", of(new OutOfMemoryError("Java heap space")));
    }

    @Test
    void detailNamesThePeerAndWrappersAreSeenThrough() {
        assertEquals("refused: 10.0.0.1:80", of(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals("timeout", NetError.timeout(null).getMessage());
        NetError e = NetError.closed("not connected");
        assertEquals("closed: not connected", e.getMessage());
        assertEquals(NetError.CLOSED, e.word());
        assertEquals(e, NetError.of(e, "other"), "a NetError passes unchanged");
    }
}
