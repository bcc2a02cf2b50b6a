package eplua.net.ws;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.net.http.NetErrors;
import eplua.net.tls.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code websocket} module: Java primitives in {@code _eplua.websocket}; the public API ({@code net.WebSocketClient},
 * {@code net.WebSocketClientTls}, {@code net.WebSocketServer}) is in {@code eplua/net/ws.lua}, which documents it.
 */
@AutoService(LuaModule.class)
public final class WebSocketModule implements LuaModule {
    /** Default largest message (after reassembling fragments) accepted from a peer. */
    public static final int DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;

    private ModuleContext engine;

    @Override
    public String id() {
        return "websocket";
    }

    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    @Override
    public void install(ModuleContext ctx) throws Exception {
        engine = ctx;
        ctx.export(this);
        ctx.runLua("eplua/net/ws.lua");
    }

    // ---- connections (client and server side) -------------------------------------------------------------------

    /** A client connection, not connected yet; {@code sink(event, ...)} gets its events (nil: none). */
    @LuaExport("client_new")
    public Object clientNew(LuaValue sink) {
        WsConn c = new WsConn(engine, null, 0);
        c.sink = sink;
        return c;
    }

    @LuaExport("set_sink")
    public void setSink(Object conn, LuaValue sink) {
        conn(conn).sink = sink;
    }

    /**
     * Connects a client: future of true once the handshake completed, or failing with the error (also sent as an
     * "error" event). {@code buffering} keeps messages for {@code receive}.
     */
    @LuaExport("connect")
    public CompletableFuture<Object> connect(Object connObj, String url, LuaValue headers, boolean verify, LuaValue caFile,
                                             double timeoutMs, boolean buffering, double maxMessage) {
        WsConn c = conn(connObj);
        CompletableFuture<Object> out = new CompletableFuture<>();
        if (c.channel != null) {
            out.completeExceptionally(NetErrors.of("busy: already connected or connecting"));
            return out;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return failConnect(c, out, "url: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) return failConnect(c, out, "url: scheme must be ws or wss: " + url);
        if (uri.getHost() == null) return failConnect(c, out, "url: no host in " + url);
        boolean tls = scheme.equals("wss");
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        int max = maxMessage > 0 ? (int) Math.min(Integer.MAX_VALUE, maxMessage) : DEFAULT_MAX_MESSAGE;
        long timeout = timeoutMs > 0 ? (long) timeoutMs : 30_000;
        HttpHeaders h = new DefaultHttpHeaders();
        if (headers.istable()) {
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = ((LuaTable) headers).next(k);
                if ((k = n.arg1()).isnil()) break;
                h.set(k.tojstring(), n.arg(2).tojstring());
            }
        }
        SslContext ssl;
        try {
            ssl = tls ? Tls.client(verify, caFile.isnil() ? null : caFile.tojstring()) : null;
        } catch (IllegalArgumentException e) {
            return failConnect(c, out, e.getMessage());
        }
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(h).maxFramePayloadLength(max)
                .handshakeTimeoutMillis(timeout).dropPongFrames(true).build();
        c.buffering = buffering;
        c.connected = out;
        c.handle = engine.track("websocket", false, c::close);
        Bootstrap b = new Bootstrap().group(engine.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) p.addLast("tls", Tls.clientHandler(ssl, ch.alloc(), host, port, verify));
                        p.addLast("codec", new HttpClientCodec());
                        p.addLast("aggregate", new HttpObjectAggregator(65536));
                        p.addLast("ws", new WebSocketClientProtocolHandler(cfg));
                        p.addLast("frames", new WebSocketFrameAggregator(max));
                        p.addLast("events", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                    c.opened(ctx.channel());
                                    c.emit("connected");
                                } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                    c.failed("timeout: websocket handshake with " + host + ":" + port);
                                } else {
                                    super.userEventTriggered(ctx, evt);
                                }
                            }
                        });
                        p.addLast("conn", c);
                    }
                });
        ChannelFuture cf = b.connect(host, port);
        c.channel = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                c.failed(NetErrors.describe(f.cause(), host, port));
                c.handle.release();
            }
        });
        return out;
    }

    private static CompletableFuture<Object> failConnect(WsConn c, CompletableFuture<Object> out, String message) {
        c.emit("error", message);
        out.completeExceptionally(NetErrors.of(message));
        return out;
    }

    /** Sends a message: mode 0 = text when valid UTF-8 else binary, 1 = text, 2 = binary. Future of true. */
    @LuaExport("send")
    public CompletableFuture<Object> send(Object conn, byte[] data, int mode, boolean reportErrors) {
        return conn(conn).send(data, mode, reportErrors);
    }

    /** The next message (buffering turns on): future of the data; fails "timeout" or "closed". */
    @LuaExport("receive")
    public CompletableFuture<Object> receive(Object conn, double timeoutMs) {
        return conn(conn).receive((long) timeoutMs);
    }

    @LuaExport("close")
    public void close(Object conn) {
        conn(conn).close();
    }

    @LuaExport("is_open")
    public boolean isOpen(Object conn) {
        WsConn c = conn(conn);
        return c.open && c.channel != null && c.channel.isActive();
    }

    @LuaExport("conn_id")
    public long connId(Object conn) {
        return conn(conn).id;
    }

    // ---- server ---------------------------------------------------------------------------------------------------

    @LuaExport("server_new")
    public Object serverNew(LuaValue sink, boolean taskMode, LuaValue cert, LuaValue key, double maxMessage) {
        SslContext ssl = null;
        if (!cert.isnil() || !key.isnil()) {
            if (cert.isnil() || key.isnil()) throw new LuaError("tls: both cert and key are needed");
            try {
                ssl = Tls.server(cert.tojstring(), key.tojstring());
            } catch (IllegalArgumentException e) {
                throw new LuaError(e.getMessage());
            }
        }
        return new WsServerImpl(engine, sink, taskMode, ssl,
                maxMessage > 0 ? (int) Math.min(Integer.MAX_VALUE, maxMessage) : DEFAULT_MAX_MESSAGE);
    }

    @LuaExport("server_start")
    public CompletableFuture<Object> serverStart(Object srv, String host, int port) {
        return server(srv).start(host, port);
    }

    @LuaExport("server_send")
    public CompletableFuture<Object> serverSend(Object srv, long cid, byte[] data, int mode, boolean reportErrors) {
        WsConn c = server(srv).client(cid);
        if (c == null) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            f.completeExceptionally(NetErrors.of("closed: no client " + cid));
            return f;
        }
        return c.send(data, mode, reportErrors);
    }

    @LuaExport("server_close_client")
    public boolean serverCloseClient(Object srv, long cid) {
        WsConn c = server(srv).client(cid);
        if (c == null) return false;
        c.close();
        return true;
    }

    @LuaExport("server_accept")
    public CompletableFuture<Object> serverAccept(Object srv, double timeoutMs) {
        return server(srv).accept((long) timeoutMs);
    }

    @LuaExport("server_clients")
    public LuaValue serverClients(Object srv) {
        return eplua.core.convert.LuaConvert.copyToLua(server(srv).clientIds());
    }

    @LuaExport("server_stop")
    public CompletableFuture<Object> serverStop(Object srv) {
        return server(srv).stop();
    }

    @LuaExport("server_running")
    public boolean serverRunning(Object srv) {
        return server(srv).isRunning();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static WsConn conn(Object o) {
        if (o instanceof WsConn) return (WsConn) o;
        throw new LuaError("bad argument #1 (websocket expected)");
    }

    private static WsServerImpl server(Object o) {
        if (o instanceof WsServerImpl) return (WsServerImpl) o;
        throw new LuaError("bad argument #1 (websocket server expected)");
    }

    /** A connection failure as a Lua error string. */
    static String describe(Throwable cause, String where) {
        if (cause instanceof WebSocketClientHandshakeException) {
            WebSocketClientHandshakeException e = (WebSocketClientHandshakeException) cause;
            return "handshake: " + e.getMessage()
                    + (e.response() != null ? " (HTTP " + e.response().status().code() + ")" : "");
        }
        if (cause instanceof WebSocketHandshakeException) return "handshake: " + cause.getMessage();
        if (cause instanceof CorruptedFrameException || cause.getClass().getSimpleName().startsWith("Corrupted")) {
            String m = cause.getMessage() == null ? "" : cause.getMessage();
            if (m.toLowerCase(Locale.ROOT).contains("max frame length") || m.contains("too")) return "too large: " + m;
            return "protocol: " + m;
        }
        return NetErrors.describe(cause, where, 0);
    }
}
