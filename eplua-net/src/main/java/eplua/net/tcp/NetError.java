package eplua.net.tcp;

import io.netty.channel.ConnectTimeoutException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * A network failure as Lua sees it: the message is the {@code err} string, a short stable first word ("timeout",
 * "closed", "refused", "unreachable", "unresolved", "bind", "denied", "error") then detail. No stack trace: these are
 * expected outcomes, delivered to scripts as {@code nil, err} or an {@code error} callback, never thrown into the loop.
 */
public final class NetError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetError(String message) {
        super(message, null, false, false);
    }

    public static NetError timeout(String detail) {
        return new NetError(detail == null ? "timeout" : "timeout: " + detail);
    }

    public static NetError closed(String detail) {
        return new NetError(detail == null ? "closed" : "closed: " + detail);
    }

    /** Translates a Netty/JDK failure; {@code where} (e.g. "127.0.0.1:80") is appended as detail. */
    public static NetError of(Throwable e, String where) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof NetError) return (NetError) e;
        String suffix = where == null ? "" : " " + where;
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lm = m.toLowerCase(Locale.ROOT);
        if (e instanceof ConnectTimeoutException) return new NetError("timeout: connect" + suffix);
        if (e instanceof ClosedChannelException) return new NetError("closed" + (where == null ? "" : ":" + suffix));
        if (e instanceof UnknownHostException) return new NetError("unresolved: " + m);
        if (e instanceof NoRouteToHostException || lm.contains("unreachable") || e instanceof PortUnreachableException)
            return new NetError("unreachable:" + suffix + " (" + m + ")");
        if (e instanceof ConnectException || lm.contains("refused"))
            return new NetError("refused:" + suffix);
        if (lm.contains("permission denied")) return new NetError("denied:" + suffix + " (" + m + ")");
        if (e instanceof BindException) return new NetError("bind:" + suffix + " (" + m + ")");
        if (lm.contains("reset by peer") || lm.contains("broken pipe") || lm.contains("connection reset"))
            return new NetError("closed: " + m);
        if (e instanceof SocketException && lm.contains("closed")) return new NetError("closed: " + m);
        return new NetError("error: " + m + suffix);
    }
}
