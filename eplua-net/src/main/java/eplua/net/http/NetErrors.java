package eplua.net.http;

import eplua.net.tls.Tls;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * Failures as the short Lua error strings of the contract: a stable first word ("refused", "timeout", "closed",
 * "resolve", "tls:", "too large", "protocol", "io") and then detail. Used by the http and websocket modules.
 */
public final class NetErrors {
    private NetErrors() {}

    /** An exception whose message is the Lua error string; no stack trace (it is an expected outcome, not a bug). */
    public static final class NetException extends RuntimeException {
        public NetException(String message) {
            super(message, null, false, false);
        }
    }

    public static NetException of(String message) {
        return new NetException(message);
    }

    /** Maps a Netty/JDK failure on a connection to {@code host:port} to a Lua error string. */
    public static String describe(Throwable e, String host, int port) {
        if (e instanceof NetException) return e.getMessage();
        String where = host + ":" + port;
        if (Tls.isTlsFailure(e)) return Tls.describe(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException) return "timeout: connect " + where;
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) return "refused: " + where;
            if (t instanceof UnknownHostException) return "resolve: unknown host " + host;
            if (t instanceof ClosedChannelException) return "closed: " + where;
            if (t instanceof TooLongFrameException) return "too large: " + t.getMessage();
            if (t.getCause() == t) break;
        }
        String m = e.getMessage();
        if (m != null && m.contains("Connection reset")) return "closed: connection reset by peer (" + where + ")";
        return "io: " + (m != null ? m : e.getClass().getSimpleName()) + " (" + where + ")";
    }

    public static NetException wrap(Throwable e, String host, int port) {
        return e instanceof NetException ? (NetException) e : new NetException(describe(e, host, port));
    }
}
