package eplua.net.http;

import eplua.core.spi.ModuleContext;
import eplua.core.json.Json;
import eplua.net.common.Listener;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/1.1 server whose requests are answered by Lua. Each complete request (bodies aggregated up to a limit,
 * larger ones get 413 from Netty's aggregator) is dispatched as a new task to a Lua function
 * {@code onRequest(reqId, method, path, body, headers)} which later calls {@link #respond}. A slow handler therefore
 * blocks nobody; requests pipelined on one connection are answered in order (the next one is dispatched only after
 * the previous response was written).
 */
final class HttpServerImpl extends Listener {
    private final LuaValue onRequest;
    private final SslContext ssl;
    private final int maxBody;
    private final Set<Channel> children = new LinkedHashSet<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId;

    private static final class Pending {
        final Conn conn;
        final boolean keepAlive;
        final HttpVersion version;
        final boolean head;

        Pending(Conn conn, boolean keepAlive, HttpVersion version, boolean head) {
            this.conn = conn;
            this.keepAlive = keepAlive;
            this.version = version;
            this.head = head;
        }
    }

    HttpServerImpl(ModuleContext engine, LuaValue onRequest, SslContext ssl, int maxBody) {
        super(engine, "http-server");
        this.onRequest = onRequest;
        this.ssl = ssl;
        this.maxBody = maxBody;
    }

    /** Binds; the future holds the bound port or fails with "bind: ...", "resolve: ...". */
    CompletableFuture<Integer> start(String host, int port) {
        return listen(host, port, 1024, ssl, p -> {
            p.addLast("codec", new HttpServerCodec());
            p.addLast("aggregate", new HttpObjectAggregator(maxBody));
            p.addLast("server", new Conn());
        });
    }

    /** Closes every connection; requests not answered yet are dropped with them. */
    @Override
    protected void closeConnections() {
        for (Channel c : new java.util.ArrayList<>(children)) c.close();
        children.clear();
        pending.clear();
    }

    /** Sends the response of request {@code id}. False if it was answered already or its connection is gone. */
    boolean respond(long id, LuaValue data, LuaValue status, LuaValue headers) {
        Pending p = pending.remove(id);
        if (p == null) return false;
        int code = status.isnil() ? 200 : status.checkint();
        byte[] body;
        String type = "text/plain; charset=utf-8";
        if (data.istable()) {
            body = Json.encode(data).getBytes(StandardCharsets.UTF_8);
            type = "application/json";
        } else if (data.isnil()) {
            body = new byte[0];
        } else if (data.isstring()) {
            body = ctx.bytes(data.checkstring());
        } else {
            body = data.tojstring().getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(p.version, HttpResponseStatus.valueOf(code),
                p.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (headers.istable()) {
            LuaTable t = (LuaTable) headers;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) break;
                resp.headers().set(k.tojstring(), n.arg(2).tojstring());
            }
        }
        HttpUtil.setContentLength(resp, body.length);
        send(p.conn, resp, p.keepAlive);
        return true;
    }

    private void send(Conn conn, FullHttpResponse resp, boolean keepAlive) {
        Channel ch = conn.channel;
        if (ch == null || !ch.isActive()) return;
        if (!keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (resp.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ch.writeAndFlush(resp);
        conn.busy = false;
        conn.next();
    }

    /** One connection: requests wait their turn here so responses go out in request order. */
    private final class Conn extends SimpleChannelInboundHandler<FullHttpRequest> {
        Channel channel;
        boolean busy;
        long currentId;
        final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();

        Conn() {
            super(false); // requests are released once dispatched
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            children.add(channel);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            children.remove(ctx.channel());
            if (busy) pending.remove(currentId);
            for (FullHttpRequest r : queue) r.release();
            queue.clear();
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.decoderResult().isFailure()) {
                req.release();
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                        Unpooled.copiedBuffer("bad request\n", StandardCharsets.UTF_8));
                HttpUtil.setContentLength(r, r.content().readableBytes());
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            queue.add(req);
            next();
        }

        void next() {
            if (busy || queue.isEmpty() || !isRunning()) return;
            FullHttpRequest req = queue.poll();
            busy = true;
            long id = ++nextId;
            currentId = id;
            try {
                Map<String, String> h = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : req.headers()) {
                    h.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + ", " + b);
                }
                String method = req.method().name();
                pending.put(id, new Pending(this, HttpUtil.isKeepAlive(req), req.protocolVersion(), method.equals("HEAD")));
                byte[] body = ByteBufUtil.getBytes(req.content());
                ctx.call(onRequest, id, method, req.uri(), LuaString.valueOf(body), ctx.toLua(h));
            } finally {
                req.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken peer: drop the connection, the server lives on
        }
    }
}
