package eplua.net.ws;

import eplua.core.spi.ModuleContext;
import eplua.net.common.Inbox;
import eplua.net.common.Listener;
import eplua.net.common.NetError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket server on any path. Callback mode: events go to the Lua sink as {@code (event, cid, ...)}. Task mode:
 * each accepted connection waits in a queue for {@code accept_async}, and buffers its messages for
 * {@code receive_async}. Netty's protocol handler answers pings and close frames and rejects oversized frames (1009).
 */
final class WsServerImpl extends Listener {
    private final LuaValue sink;
    private final boolean taskMode;
    private final SslContext ssl;
    private final int maxMessage;
    private final Map<Long, WsConn> clients = new LinkedHashMap<>();
    private final Inbox<WsConn> acceptable; // task mode: connections nobody accepted yet
    private long nextId;

    WsServerImpl(ModuleContext ctx, LuaValue sink, boolean taskMode, SslContext ssl, int maxMessage) {
        super(ctx, "websocket-server");
        this.sink = sink;
        this.taskMode = taskMode;
        this.ssl = ssl;
        this.maxMessage = maxMessage;
        this.acceptable = new Inbox<>(ctx.eventLoop(), Integer.MAX_VALUE, 0, null);
    }

    CompletableFuture<Integer> start(String host, int port) {
        WebSocketServerProtocolConfig cfg = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
                .checkStartsWith(true).maxFramePayloadLength(maxMessage).handshakeTimeoutMillis(10_000).build();
        return listen(host, port, 1024, ssl, p -> {
            p.addLast("codec", new HttpServerCodec());
            p.addLast("aggregate", new HttpObjectAggregator(65536));
            p.addLast("ws", new WebSocketServerProtocolHandler(cfg));
            p.addLast("frames", new WebSocketFrameAggregator(maxMessage));
            p.addLast("handshake", new Handshake());
        }).thenApply(bound -> {
            if (!taskMode && !sink.isnil()) ctx.call(sink, "started", bound);
            return bound;
        });
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

    /** Closes every client and fails pending accepts. */
    @Override
    protected void closeConnections() {
        for (WsConn c : new ArrayList<>(clients.values())) c.close();
        acceptable.close(NetError.closed("server stopped"));
        acceptable.drain();
    }
}
