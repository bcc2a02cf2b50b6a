package eplua.net.common;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import javax.net.ssl.SSLException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A network failure as Lua sees it, in the one vocabulary every net module speaks: the message is the {@code err}
 * string, a stable first word, then {@code ": "} and detail. The words (the README's "Network errors" has the table):
 * <ul>
 * <li>{@code timeout} no answer in time (connect, read, receive, accept, response, handshake, CONNACK, keep-alive)</li>
 * <li>{@code closed} the socket or connection is closed, was never connected, or the peer ended it in order</li>
 * <li>{@code refused} the peer refused: nothing listens there, or the broker refused the CONNECT</li>
 * <li>{@code reset} the peer aborted an open connection (TCP RST, broken pipe)</li>
 * <li>{@code resolve} the host name cannot be resolved</li>
 * <li>{@code unreachable} no route to the host or network</li>
 * <li>{@code tls} the TLS handshake or the peer's certificate failed</li>
 * <li>{@code protocol} the peer broke the protocol: malformed response or packet, rejected WebSocket handshake,
 * bad redirect</li>
 * <li>{@code too large} a message, body or line over its limit (or over the memory there is)</li>
 * <li>{@code bind} a local address cannot be bound (in use, not local)</li>
 * <li>{@code denied} the system does not allow it (privileged port, broadcast)</li>
 * <li>{@code io} any other I/O failure</li>
 * </ul>
 * No stack trace: these are expected outcomes, delivered as {@code nil, err} or an error callback, never thrown into
 * the loop.
 */
public final class NetError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String TIMEOUT = "timeout", CLOSED = "closed", REFUSED = "refused", RESET = "reset",
            RESOLVE = "resolve", UNREACHABLE = "unreachable", TLS = "tls", PROTOCOL = "protocol",
            TOO_LARGE = "too large", BIND = "bind", DENIED = "denied", IO = "io";

    private final String word;

    private NetError(String word, String detail) {
        super(detail == null || detail.isEmpty() ? word : word + ": " + detail, null, false, false);
        this.word = word;
    }

    /** {@code word: detail}, or the bare word when detail is null. */
    public static NetError of(String word, String detail) {
        return new NetError(word, detail);
    }

    public static NetError timeout(String detail) {
        return new NetError(TIMEOUT, detail);
    }

    public static NetError closed(String detail) {
        return new NetError(CLOSED, detail);
    }

    public static NetError protocol(String detail) {
        return new NetError(PROTOCOL, detail);
    }

    /** The first word of the message. */
    public String word() {
        return word;
    }

    /**
     * Translates a Netty or JDK failure; {@code where} (e.g. "127.0.0.1:80", may be null) names the peer or the local
     * address in the detail. A NetError passes unchanged.
     */
    public static NetError of(Throwable e, String where) {
        e = unwrap(e);
        if (e instanceof NetError) return (NetError) e;
        String at = where == null ? "" : where;
        String m = message(e);
        String lm = m.toLowerCase(Locale.ROOT);
        // causes Netty wraps first (an SSLException inside a DecoderException; a handshake timeout is an SSLException)
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) return new NetError(TIMEOUT, join("tls handshake", at));
            if (t instanceof SSLException || t instanceof CertificateException) return new NetError(TLS, rootMessage(e));
            if (t instanceof TooLongFrameException) return new NetError(TOO_LARGE, join(message(t), at));
            if (t instanceof WebSocketClientHandshakeException) {
                WebSocketClientHandshakeException h = (WebSocketClientHandshakeException) t;
                return new NetError(PROTOCOL, "websocket handshake rejected" + (at.isEmpty() ? "" : " by " + at)
                        + (h.response() != null ? " (HTTP " + h.response().status().code() + ")" : "")
                        + ": " + message(t));
            }
            if (t instanceof WebSocketHandshakeException) return new NetError(PROTOCOL, join(message(t), at));
            if (t instanceof CorruptedFrameException) {
                String fm = message(t);
                return fm.toLowerCase(Locale.ROOT).contains("max frame length")
                        ? new NetError(TOO_LARGE, join(fm, at)) : new NetError(PROTOCOL, join(fm, at));
            }
        }
        if (e instanceof ConnectTimeoutException) return new NetError(TIMEOUT, join("connect", at));
        if (e instanceof UnknownHostException) return new NetError(RESOLVE, m);
        if (e instanceof NoRouteToHostException || e instanceof PortUnreachableException || lm.contains("unreachable"))
            return new NetError(UNREACHABLE, paren(at, m));
        if (e instanceof ConnectException || lm.contains("connection refused")) return new NetError(REFUSED, at);
        if (lm.contains("permission denied") || e instanceof SecurityException) return new NetError(DENIED, paren(at, m));
        if (e instanceof BindException) return new NetError(BIND, paren(at, m));
        if (lm.contains("connection reset") || lm.contains("reset by peer") || lm.contains("broken pipe"))
            return new NetError(RESET, paren(at, m));
        if (e instanceof ClosedChannelException) return new NetError(CLOSED, at);
        if (e instanceof SocketException && lm.contains("closed")) return new NetError(CLOSED, paren(at, m));
        if (e instanceof OutOfMemoryError) return new NetError(TOO_LARGE, paren(join("out of memory", at), m));
        if (e instanceof DecoderException) return new NetError(PROTOCOL, paren(at, m));
        return new NetError(IO, paren(at, m));
    }

    /** The Lua error string of any failure: a NetError's message, or the translation of another. */
    public static String message(Throwable e, String where) {
        return of(e, where).getMessage();
    }

    /** Strips the wrappers futures add. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return message(t);
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + " " + b;
    }

    private static String paren(String at, String m) {
        return at.isEmpty() ? m : at + " (" + m + ")";
    }
}
