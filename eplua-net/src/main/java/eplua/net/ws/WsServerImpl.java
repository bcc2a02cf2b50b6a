package eplua.net.ws;

import eplua.core.spi.ModuleContext;
import eplua.net.common.HttpLimits;
import eplua.net.common.Inbox;
import eplua.net.common.Listener;
import eplua.net.common.NetError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server on any path. Callback mode: events go to the Lua sink as {@code (event, cid, ...)}. Task mode:
 * each accepted connection waits in a queue for {@code accept_async}, and buffers its messages for
 * {@code receive_async}. Netty's protocol handler answers pings and close frames and rejects oversized frames (1009).
 *
 * <p>Before the upgrade the peer speaks HTTP under the same limits as the HTTP server ({@link HttpLimits}): what is not
 * a GET with {@code Upgrade: websocket} gets 400 (a head over the limits 414 or 431) and the connection closes, and a
 * connection whose handshake is not done within the handshake timeout of its accept gets 408 and closes.
 */
final class WsServerImpl extends Listener {
    private final LuaValue sink;
    private final boolean taskMode;
    private final SslContext ssl;
    private final HttpLimits limits;
    private final long handshakeTimeoutMs;
    private final Map<Long, WsConn> clients = new LinkedHashMap<>();
    private final Set<Channel> handshaking = new LinkedHashSet<>(); // accepted, not upgraded yet
    private final Inbox<WsConn> acceptable; // task mode: connections nobody accepted yet
    private long nextId;

    WsServerImpl(ModuleContext ctx, LuaValue sink, boolean taskMode, SslContext ssl, HttpLimits limits,
                 long handshakeTimeoutMs) {
        super(ctx, "websocket-server");
        this.limits = limits;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.sink = sink;
        this.taskMode = taskMode;
        this.ssl = ssl;
        this.acceptable = new Inbox<>(ctx.eventLoop(), Integer.MAX_VALUE, 0, null);
    }

    CompletableFuture<Integer> start(String host, int port) {
        WebSocketServerProtocolConfig cfg = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
                .checkStartsWith(true).maxFramePayloadLength(limits.maxContent)
                .handshakeTimeoutMillis(handshakeTimeoutMs > 0 ? handshakeTimeoutMs : Long.MAX_VALUE / 4).build();
        return listen(host, port, 1024, ssl, p -> {
            Channel ch = p.channel();
            handshaking.add(ch);
            ch.closeFuture().addListener(f -> handshaking.remove(ch));
            if (handshakeTimeoutMs > 0) {
                ScheduledFuture<?> t = ch.eventLoop().schedule(() -> {
                    if (ch.pipeline().get(WsConn.class) == null) HttpLimits.reject(ch, HttpResponseStatus.REQUEST_TIMEOUT);
                }, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
                ch.closeFuture().addListener(f -> t.cancel(false));
            }
            p.addLast("codec", limits.codec());
            p.addLast("count", limits.checker());
            p.addLast("aggregate", new HttpObjectAggregator(65536));
            p.addLast("upgrade", new UpgradeOnly());
            p.addLast("ws", new WebSocketServerProtocolHandler(cfg));
            p.addLast("frames", new WebSocketFrameAggregator(limits.maxContent));
            p.addLast("handshake", new Handshake());
        }).thenApply(bound -> {
            if (!taskMode && !sink.isnil()) ctx.call(sink, "started", bound);
            return bound;
        });
    }

    /** The protocol versions Netty's handshakers speak (RFC 6455 is 13); others get 426 naming 13. */
    private static final java.util.Set<String> SUPPORTED_VERSIONS = java.util.Set.of("13", "8", "7");

    /** Lets only an upgrade request within the limits reach Netty's handshake; anything else is answered and closed. */
    private final class UpgradeOnly extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (!(msg instanceof FullHttpRequest)) {
                c.fireChannelRead(msg);
                return;
            }
            FullHttpRequest req = (FullHttpRequest) msg;
            HttpResponseStatus bad = null;
            if (req.decoderResult().isFailure()) bad = HttpLimits.statusFor(req.decoderResult().cause());
            else if (!HttpMethod.GET.equals(req.method())
                    || !req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                bad = HttpResponseStatus.BAD_REQUEST;
            }
            if (bad != null) {
                req.release();
                HttpLimits.reject(c.channel(), bad);
                return;
            }
            String version = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
            if (version != null && !SUPPORTED_VERSIONS.contains(version)) {
                // Netty would answer 426 and keep the connection open: answer and close, as the other refusals do
                req.release();
                HttpLimits.reject(c.channel(), HttpResponseStatus.UPGRADE_REQUIRED, HttpHeaderNames.SEC_WEBSOCKET_VERSION,
                        "13");
                return;
            }
            c.pipeline().remove(this); // the upgrade changes the protocol: nothing more to check
            c.pipeline().remove("count");
            c.fireChannelRead(req);
        }
    }

    /** Turns a connection into a registered client once its handshake completed. */
    private final class Handshake extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                WebSocketServerProtocolHandler.HandshakeComplete hc = (WebSocketServerProtocolHandler.HandshakeComplete) evt;
                if (!isRunning()) {
                    ctx.close();
                    return;
                }
                handshaking.remove(ctx.channel());
                WsConn conn = new WsConn(WsServerImpl.this.ctx, WsServerImpl.this, ++nextId);
                conn.buffering = taskMode;
                conn.keepAlive(keepsAlive());
                ctx.pipeline().replace(this, "conn", conn);
                conn.opened(ctx.channel());
                // each connection keeps the engine alive until it is closed (stop() closes them all), unless the
                // server is unref'd; in task mode it is tracked when a task takes it (it then belongs to that task)
                if (!taskMode) conn.track("websocket-connection");
                clients.put(conn.id, conn);
                if (taskMode) {
                    acceptable.put(conn);
                } else {
                    emit("connected", conn, hc.requestUri());
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a failed handshake or a broken peer: only this connection goes
        }
    }

    void emit(String event, WsConn conn, Object... args) {
        if (taskMode || sink.isnil()) return;
        Object[] a = new Object[args.length + 2];
        a[0] = event;
        a[1] = conn.id;
        System.arraycopy(args, 0, a, 2, args.length);
        if (event.equals("error")) { // error(err, cid): the message first, as for the client
            a[1] = args.length > 0 ? args[0] : "error";
            a[2] = conn.id;
        }
        ctx.call(sink, a);
    }

    /** An error about no client in particular (say, a send to an unknown client): error(err, cid). */
    void emitError(String err, long cid) {
        if (!taskMode && !sink.isnil()) ctx.call(sink, "error", err, cid);
    }

    @Override
    protected void connectionsKeepAlive(boolean on) {
        for (WsConn c : clients.values()) c.keepAlive(on);
    }

    void removed(WsConn conn, boolean wasOpen) {
        if (clients.remove(conn.id) == null) return;
        acceptable.remove(conn);
        if (wasOpen) emit("disconnected", conn);
    }

    /** Task mode: the next connection, or fails "timeout" / "closed: server stopped". */
    CompletableFuture<WsConn> accept(long timeoutMs) {
        return acceptable.take(timeoutMs);
    }

    WsConn client(long cid) {
        return clients.get(cid);
    }

    List<Long> clientIds() {
        return new ArrayList<>(clients.keySet());
    }

    /** Open connections, upgraded or not (tests: none may be left behind). Lua thread. */
    int connections() {
        return clients.size() + handshaking.size();
    }

    /** Closes every connection (clients and those still in their handshake) and fails pending accepts. */
    @Override
    protected void closeConnections() {
        for (Channel c : new ArrayList<>(handshaking)) c.close();
        for (WsConn c : new ArrayList<>(clients.values())) c.close();
        acceptable.close(NetError.closed("server stopped"));
        acceptable.drain();
    }
}
