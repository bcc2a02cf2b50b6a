package eplua.net.common;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;

/**
 * What an HTTP-speaking server (http, and websocket before the upgrade) allows a peer: how long it may take to send a
 * request head, how long a keep-alive connection may sit idle, how large the head and the content (an http body, a
 * websocket message) may be. Each head value comes from the
 * server's Lua options, else from the system property {@code eplua.http.<name>}, else the default (eplua-net/HARDENING.md
 * has the table). A peer over a limit gets a short error response and the connection is closed.
 */
public final class HttpLimits {
    /** Longest request line (method, target, version): longer gets 414. Fixed. */
    public static final int MAX_REQUEST_LINE = 8 * 1024;
    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    public static final int DEFAULT_MAX_HEADERS = 100;

    /** From the first byte of a request until its head is complete, and between body reads; 0: none. */
    public final long headerTimeoutMs;
    /** A keep-alive connection with no request in progress; 0: none. */
    public final long idleTimeoutMs;
    /** The header lines together, in bytes: more gets 431. */
    public final int maxHeaderSize;
    /** Header lines: more gets 431. */
    public final int maxHeaders;
    /** A request body (http: more gets 413) or a message (websocket: more closes with 1009), in bytes. */
    public final int maxContent;

    private HttpLimits(long headerTimeoutMs, long idleTimeoutMs, int maxHeaderSize, int maxHeaders, int maxContent) {
        this.headerTimeoutMs = headerTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.maxHeaderSize = maxHeaderSize;
        this.maxHeaders = maxHeaders;
        this.maxContent = maxContent;
    }

    /** The limits of a server started with the Lua options {@code opts} (a table, or nil) and content limit. */
    public static HttpLimits of(LuaValue opts, int maxContent) {
        return new HttpLimits(millis(opts, "headerTimeout", "eplua.http.headerTimeout", DEFAULT_HEADER_TIMEOUT_MS),
                millis(opts, "idleTimeout", "eplua.http.idleTimeout", DEFAULT_IDLE_TIMEOUT_MS),
                size(opts, "maxHeaderSize", DEFAULT_MAX_HEADER_SIZE), size(opts, "maxHeaders", DEFAULT_MAX_HEADERS),
                maxContent);
    }

    /** A size limit a script passed (a body or message size): zero or less means {@code def}; capped to an int. */
    public static int size(double asked, int def) {
        return asked > 0 ? (int) Math.min(Integer.MAX_VALUE, asked) : def;
    }

    /** A timeout option in ms: the option, else the system property, else {@code def}; zero or less: none. */
    public static long millis(LuaValue opts, String name, String property, long def) {
        LuaValue v = opts != null && opts.istable() ? opts.get(name) : LuaValue.NIL;
        long ms = v.isnumber() ? (long) Math.min(Long.MAX_VALUE / 2, v.todouble()) : Long.getLong(property, def);
        return Math.max(0, ms);
    }

    /** A size option: the option, else {@code eplua.http.<name>}, else {@code def}; zero or less: the default. */
    private static int size(LuaValue opts, String name, int def) {
        LuaValue v = opts != null && opts.istable() ? opts.get(name) : LuaValue.NIL;
        long n = v.isnumber() ? (long) Math.min(Integer.MAX_VALUE, v.todouble()) : Long.getLong("eplua.http." + name, def);
        return size((double) n, def);
    }

    /** The server codec enforcing the request line and header size limits (failures reach the handler as such). */
    public HttpServerCodec codec() {
        return new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(maxHeaderSize));
    }

    /**
     * Marks a request head with more header lines than allowed as failed (431), as the codec does one over the size
     * limit; it is counted as the peer sent it, before an aggregator adds its own. For a handler right after the codec.
     */
    public void check(HttpRequest head) {
        if (head.decoderResult().isSuccess() && head.headers().size() > maxHeaders) {
            head.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException(
                    "more than " + maxHeaders + " header lines")));
        }
    }

    /** A handler for right after the codec that {@link #check checks} each request head. */
    public ChannelHandler checker() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) check((HttpRequest) msg);
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** The answer to a request the codec could not decode: 414, 431 or 400. */
    public static HttpResponseStatus statusFor(Throwable decodeFailure) {
        if (decodeFailure instanceof TooLongHttpLineException) return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        if (decodeFailure instanceof TooLongHttpHeaderException) return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        return HttpResponseStatus.BAD_REQUEST;
    }

    /** Answers {@code status} with a one-line text body and closes the connection once it is written. */
    public static void reject(Channel ch, HttpResponseStatus status) {
        reject(ch, status, null, null);
    }

    /** As {@link #reject(Channel, HttpResponseStatus)}, with one more header ({@code name} null: none). */
    public static void reject(Channel ch, HttpResponseStatus status, CharSequence name, String value) {
        if (!ch.isActive()) return;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase().toLowerCase(java.util.Locale.ROOT) + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (name != null) r.headers().set(name, value);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        ch.config().setAutoRead(false); // nothing more from this peer
        ch.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
