package eplua.net.http;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.common.Access;
import eplua.net.common.Lifetime;
import eplua.net.common.Lookups;
import eplua.net.common.NetError;
import eplua.net.common.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of one engine: requests on the engine's loop, with a small pool of idle keep-alive connections per
 * scheme/host/port/verification. Each request completes a future with {@code status, body, headers} (header names in
 * lower case; repeated headers joined with ", ") or fails with a {@link NetError}.
 *
 * <p>A request belongs to the task that made it: cancelling the task (or a task awaiting the request being
 * cancelled, which cancels the future) abandons it and closes its connection, which never goes back to the pool.
 *
 * <p>State is touched only while holding the engine's turn (exported calls and Netty callbacks), so it needs no locks.
 */
final class HttpClientPool implements AutoCloseable {
    static final int MAX_IDLE_PER_KEY = 16;
    static final int MAX_REDIRECTS = 5;
    static final int IDLE_SECONDS = 60;

    private final ModuleContext engine;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();
    private Resource poolHandle;
    private boolean closed;

    HttpClientPool(ModuleContext engine) {
        this.engine = engine;
    }

    /** One request, possibly over several redirects; everything the exchange needs. */
    static final class Exchange {
        URI uri;
        String method;
        Map<String, String> headers;
        byte[] body;
        long timeoutMs;
        boolean verify;
        String caFile;
        boolean follow;
        int maxBody;
        int redirects;
        final CompletableFuture<Varargs> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        Resource handle;
        Channel channel;
        boolean reused;
        boolean retried;

        String host() {
            return uri.getHost();
        }

        boolean tls() {
            return "https".equals(uri.getScheme());
        }

        int port() {
            int p = uri.getPort();
            return p > 0 ? p : tls() ? 443 : 80;
        }

        String where() {
            return host() + ":" + port();
        }

        String key() {
            return uri.getScheme() + "://" + host() + ":" + port() + "|" + verify + "|" + caFile + "|" + maxBody;
        }
    }

    /**
     * Starts a request to {@code uri} (checked by {@link #parse}); {@code life} says whether it keeps the engine alive
     * and whether it outlives the task that made it.
     */
    CompletableFuture<Varargs> request(URI uri, String method, Map<String, String> headers, byte[] body,
                                       long timeoutMs, boolean verify, String caFile, boolean follow, int maxBody,
                                       Lifetime life) {
        Exchange ex = new Exchange();
        ex.uri = uri;
        if (closed) {
            ex.result.completeExceptionally(NetError.closed("engine is closing"));
            return ex.result;
        }
        ex.method = method.toUpperCase(Locale.ROOT);
        ex.headers = headers;
        ex.body = body;
        ex.timeoutMs = timeoutMs;
        ex.verify = verify;
        ex.caFile = caFile;
        ex.follow = follow;
        ex.maxBody = maxBody;
        ex.handle = life.track(engine, "http-request", () -> fail(ex, NetError.closed("aborted")));
        ex.result.whenComplete((v, e) -> {
            if (e instanceof CancellationException) fail(ex, NetError.closed("cancelled")); // abandoned: clean up
        });
        if (timeoutMs > 0) {
            ex.timer = engine.eventLoop().schedule(() -> fail(ex, NetError.timeout("no response from " + ex.where()
                    + " within " + timeoutMs + " ms")), timeoutMs, TimeUnit.MILLISECONDS);
        }
        start(ex);
        return ex.result;
    }

    /** An http or https URL with a host, or IllegalArgumentException saying what is wrong with it. */
    static URI parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed url '" + url + "': " + e.getReason());
        }
        String s = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(s) && !"https".equals(s)) {
            throw new IllegalArgumentException("http or https url expected, got '" + url + "'");
        }
        if (u.getHost() == null) throw new IllegalArgumentException("url without a host: '" + url + "'");
        return u;
    }

    private void start(Exchange ex) {
        if (ex.result.isDone()) return;
        ArrayDeque<Channel> q = idle.get(ex.key());
        Channel ch = null;
        while (q != null && (ch = q.pollFirst()) != null && !ch.isActive()) ch = null;
        if (ch != null) {
            ex.reused = true;
            send(ex, ch);
            return;
        }
        ex.reused = false;
        NetError no = Access.connect(engine, ex.host(), ex.port()); // each hop of a redirect too
        if (no != null) {
            fail(ex, no);
            return;
        }
        SslContext ssl;
        try {
            ssl = ex.tls() ? Tls.client(ex.verify, ex.caFile) : null; // before connecting: a bad CA file is "tls: ..."
        } catch (NetError e) {
            fail(ex, e);
            return;
        }
        Bootstrap b = new Bootstrap().group(engine.eventLoop()).channel(NioSocketChannel.class).resolver(Lookups.GROUP)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        ex.timeoutMs > 0 ? ex.timeoutMs : 30_000))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        ChannelPipeline p = c.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", Tls.clientHandler(ssl, c.alloc(), ex.host(), ex.port(), ex.verify));
                        }
                        p.addLast("codec", new HttpClientCodec());
                        p.addLast("aggregate", new HttpObjectAggregator(ex.maxBody));
                        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS));
                        p.addLast("client", new Handler(ex.key()));
                    }
                });
        ChannelFuture cf;
        try {
            cf = b.connect(ex.host(), ex.port());
        } catch (RuntimeException e) {
            fail(ex, NetError.of(e, ex.where()));
            return;
        }
        ex.channel = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                fail(ex, NetError.of(f.cause(), ex.where()));
                return;
            }
            // over TLS the request waits for the handshake: its failure is the error, not the write it fails
            SslHandler tls = cf.channel().pipeline().get(SslHandler.class);
            if (tls == null) send(ex, cf.channel());
            else tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) send(ex, cf.channel());
                else fail(ex, NetError.of(h.cause(), ex.where()));
            });
        });
    }

    private void send(Exchange ex, Channel ch) {
        if (ex.result.isDone()) {
            ch.close();
            return;
        }
        ex.channel = ch;
        Handler h = (Handler) ch.pipeline().get("client");
        h.current = ex;
        h.gotResponse = false;
        URI u = ex.uri;
        String target = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) target += "?" + u.getRawQuery();
        ByteBuf content = ex.body != null ? Unpooled.wrappedBuffer(ex.body) : Unpooled.EMPTY_BUFFER;
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(ex.method), target, content);
        boolean defaultPort = u.getPort() <= 0 || (ex.tls() ? u.getPort() == 443 : u.getPort() == 80);
        req.headers().set(HttpHeaderNames.HOST, defaultPort ? ex.host() : ex.host() + ":" + ex.port());
        req.headers().set(HttpHeaderNames.USER_AGENT, "eplua");
        req.headers().set(HttpHeaderNames.ACCEPT, "*/*");
        if (ex.headers != null) {
            for (Map.Entry<String, String> e : ex.headers.entrySet()) req.headers().set(e.getKey(), e.getValue());
        }
        if (ex.body != null || !(ex.method.equals("GET") || ex.method.equals("HEAD") || ex.method.equals("DELETE")
                || ex.method.equals("OPTIONS"))) {
            req.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            HttpUtil.setContentLength(req, content.readableBytes());
        }
        ch.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) onBroken(ex, ch, f.cause());
        });
    }

    /** The connection failed before a response: retry once on a fresh connection if it was a stale pooled one. */
    private void onBroken(Exchange ex, Channel ch, Throwable cause) {
        if (ex.result.isDone() || ex.channel != ch) return;
        Handler h = (Handler) ch.pipeline().get("client");
        boolean partial = h != null && h.gotResponse;
        NetError why = cause == null ? NetError.closed("connection closed before the response (" + ex.where() + ")")
                : NetError.of(cause, ex.where());
        if (ex.reused && !ex.retried && !partial && !why.word().equals(NetError.TLS)) {
            ex.retried = true;
            if (h != null) h.current = null;
            ch.close();
            start(ex);
            return;
        }
        fail(ex, why);
    }

    /** Ends the exchange with {@code why} (unless it ended already) and closes its connection, if it has one. */
    private void fail(Exchange ex, NetError why) {
        Channel ch = ex.channel;
        if (ch != null) {
            ex.channel = null;
            Handler h = ch.pipeline().get(Handler.class);
            if (h != null && h.current == ex) h.current = null;
            ch.close();
        }
        // complete before releasing the handle, so whoever waits is queued before the engine may look idle
        ex.result.completeExceptionally(why);
        finish(ex);
    }

    private void finish(Exchange ex) {
        if (ex.timer != null) ex.timer.cancel(false);
        if (ex.handle != null) ex.handle.release();
    }

    private void onResponse(Exchange ex, Channel ch, FullHttpResponse resp) {
        if (resp.decoderResult().isFailure()) {
            Throwable c = resp.decoderResult().cause();
            fail(ex, c instanceof io.netty.handler.codec.TooLongFrameException ? NetError.of(c, ex.where())
                    : NetError.protocol("bad response from " + ex.where() + ": " + c.getMessage()));
            return;
        }
        int status = resp.status().code();
        boolean keep = HttpUtil.isKeepAlive(resp) && !closed;
        if (ex.follow && isRedirect(status) && resp.headers().contains(HttpHeaderNames.LOCATION)) {
            if (ex.redirects >= MAX_REDIRECTS) {
                release(ex, ch, keep);
                fail(ex, NetError.protocol("more than " + MAX_REDIRECTS + " redirects"));
                return;
            }
            URI next;
            try {
                next = parse(ex.uri.resolve(resp.headers().get(HttpHeaderNames.LOCATION)).toString());
            } catch (RuntimeException e) {
                release(ex, ch, keep);
                fail(ex, NetError.protocol("bad redirect location: " + e.getMessage()));
                return;
            }
            release(ex, ch, keep);
            ex.redirects++;
            ex.retried = false;
            if (status == 303 || ((status == 301 || status == 302) && !ex.method.equals("HEAD"))) {
                ex.method = ex.method.equals("HEAD") ? "HEAD" : "GET";
                ex.body = null;
            }
            if (!next.getHost().equalsIgnoreCase(ex.uri.getHost()) && ex.headers != null) {
                ex.headers.keySet().removeIf(k -> k.equalsIgnoreCase("authorization") || k.equalsIgnoreCase("cookie"));
            }
            ex.uri = next;
            start(ex);
            return;
        }
        LuaTable headers = HeaderTable.of(resp.headers());
        LuaString body = LuaString.valueOf(ByteBufUtil.getBytes(resp.content()));
        release(ex, ch, keep);
        ex.result.complete(LuaValue.varargsOf(LuaValue.valueOf(status), body, headers));
        finish(ex);
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    /** Detaches the exchange from the connection and puts a reusable connection back in the pool. */
    private void release(Exchange ex, Channel ch, boolean keep) {
        Handler h = ch.pipeline().get(Handler.class);
        if (h != null) h.current = null;
        if (ex.channel == ch) ex.channel = null;
        if (!keep || closed) {
            ch.close();
            return;
        }
        ArrayDeque<Channel> q = idle.computeIfAbsent(h.key, k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_KEY) {
            ch.close();
            return;
        }
        if (poolHandle == null || poolHandle.isReleased()) {
            poolHandle = engine.track("http-pool", true, this); // idle connections never keep the engine alive
            poolHandle.detach(); // shared by every task: no task's cancellation closes it
        }
        q.addFirst(ch);
    }

    @Override
    public void close() {
        closed = true;
        for (ArrayDeque<Channel> q : idle.values()) for (Channel c : q) c.close();
        idle.clear();
    }

    /** Per connection: routes the response to the exchange in flight, drops dead idle connections. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {
        final String key;
        Exchange current;
        boolean gotResponse;

        Handler(String key) {
            this.key = key;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            gotResponse = true;
            Exchange ex = current;
            if (ex == null) {
                ctx.close(); // unsolicited response: the connection is out of step
                return;
            }
            onResponse(ex, ctx.channel(), resp);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ArrayDeque<Channel> q = idle.get(key);
            if (q != null) q.remove(ctx.channel());
            Exchange ex = current;
            if (ex != null) onBroken(ex, ctx.channel(), null);
            super.channelInactive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent && current == null) ctx.close();
            else super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange ex = current;
            if (ex != null) {
                if (cause instanceof io.netty.handler.codec.TooLongFrameException
                        || cause.getClass().getSimpleName().startsWith("TooLong")) {
                    fail(ex, NetError.of(NetError.TOO_LARGE, "response body over " + ex.maxBody + " bytes"));
                } else {
                    // a pooled connection the server closed meanwhile fails as a reset: retried like a closed one
                    onBroken(ex, ctx.channel(), cause);
                }
            }
            ctx.close();
        }
    }
}
