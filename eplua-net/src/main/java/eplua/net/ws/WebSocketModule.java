package eplua.net.ws;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.net.common.Access;
import eplua.net.common.HttpLimits;
import eplua.net.common.Lookups;
import eplua.net.common.NetError;
import eplua.net.common.NetModule;
import eplua.net.common.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code websocket} module: Java primitives in {@code _eplua.websocket}; the public API ({@code net.WebSocketClient},
 * {@code net.WebSocketClientTls}, {@code net.WebSocketServer}) is in {@code eplua/net/ws.lua}, which documents it.
 * Futures fail with a {@link NetError}; a url that is not ws(s)://host... comes back as nil, what is wrong, which
 * ws.lua raises as a misuse.
 */
@AutoService(LuaModule.class)
public final class WebSocketModule extends NetModule {
    /** Default largest message (after reassembling fragments) accepted from a peer. */
    public static final int DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;
    /** Default time from a server's accept to a completed handshake. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT = 10_000;

    public WebSocketModule() {
        super("websocket", "eplua/net/ws.lua");
    }

    @Override
    protected void installing() {
        exportServerControls();
    }

    // ---- connections (client and server side) -------------------------------------------------------------------

    /** A client connection, not connected yet; {@code sink(event, ...)} gets its events (nil: none). */
    @LuaExport("client_new")
    public Object clientNew(LuaValue sink) {
        WsConn c = new WsConn(ctx, null, 0);
        c.sink = sink;
        return c;
    }

    @LuaExport("set_sink")
    public void setSink(Object conn, LuaValue sink) {
        conn(conn).sink = sink;
    }

    /**
     * Connects a client: future of true once the handshake completed, or failing with the error (also sent as an
     * "error" event); nil, what is wrong, for a bad url or a client already used. {@code buffering} keeps messages
     * for {@code receive}.
     */
    @LuaExport("connect")
    public Varargs connect(Object connObj, String url, LuaValue headers, boolean verify, LuaValue caFile,
                           double timeoutMs, boolean buffering, double maxMessage) {
        WsConn c = conn(connObj);
        if (c.channel != null) return failure("already connected or connecting");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return failure("malformed url '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) return failure("ws or wss url expected, got '" + url + "'");
        if (uri.getHost() == null) return failure("url without a host: '" + url + "'");
        CompletableFuture<Object> out = new CompletableFuture<>();
        boolean tls = scheme.equals("wss");
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        c.where = host + ":" + port;
        int max = HttpLimits.size(maxMessage, DEFAULT_MAX_MESSAGE);
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
            NetError no = Access.connect(ctx, host, port);
            if (no != null) throw no;
            ssl = tls ? Tls.client(verify, caFile.isnil() ? null : caFile.tojstring()) : null;
        } catch (NetError why) {
            c.emit("error", why.getMessage());
            out.completeExceptionally(why);
            return LuaValue.userdataOf(out);
        }
        WebSocketClientProtocolConfig cfg = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(h).maxFramePayloadLength(max)
                .handshakeTimeoutMillis(timeout).dropPongFrames(true).build();
        c.buffering = buffering;
        c.connected = out;
        c.track("websocket");
        out.whenComplete((v, e) -> {
            if (e instanceof CancellationException) c.close(); // the awaiting task was cancelled: abort the connect
        });
        Bootstrap b = new Bootstrap().group(ctx.eventLoop()).channel(NioSocketChannel.class).resolver(Lookups.GROUP)
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
                            public void userEventTriggered(ChannelHandlerContext hc, Object evt) throws Exception {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                    c.opened(hc.channel());
                                    c.emit("connected");
                                } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                    c.failed(NetError.timeout("websocket handshake with " + c.where));
                                } else {
                                    super.userEventTriggered(hc, evt);
                                }
                            }
                        });
                        p.addLast("conn", c);
                    }
                });
        ChannelFuture cf = b.connect(host, port);
        c.channel = cf.channel();
        cf.addListener(f -> {
            if (f.isSuccess()) return;
            // reported in a later turn: listeners the script adds right after connect must hear even a failure known
            // at once (a name under .invalid; from a fiber on the loop thread Netty reports it inside connect)
            ctx.eventLoop().execute(() -> {
                c.failed(NetError.of(f.cause(), c.where));
                c.handle.release();
            });
        });
        return LuaValue.userdataOf(out);
    }

    /** Sends a message: mode 0 = text when valid UTF-8 else binary, 1 = text, 2 = binary. Future of true. */
    @LuaExport("send")
    public CompletableFuture<Object> send(Object conn, byte[] data, int mode, boolean reportErrors) {
        return conn(conn).send(data, mode, reportErrors);
    }

    /** The next message (buffering turns on): future of the data; fails "timeout" or "closed". */
    @LuaExport("receive")
    public CompletableFuture<Varargs> receive(Object conn, double timeoutMs) {
        return conn(conn).receive((long) timeoutMs);
    }

    /** Open, or on its way (connecting, handshaking). */
    @LuaExport("is_active")
    public boolean isActive(Object conn) {
        WsConn c = conn(conn);
        return c.channel != null && (c.open ? c.channel.isActive() : c.channel.isOpen());
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

    /**
     * A server, or nil, "tls: ..." when its certificate or key cannot be loaded. {@code opts}: handshakeTimeout (ms,
     * default 10000), maxHeaderSize, maxHeaders ({@link HttpLimits}).
     */
    @LuaExport("server_new")
    public Varargs serverNew(LuaValue sink, boolean taskMode, LuaValue cert, LuaValue key, double maxMessage,
                             LuaValue opts) {
        SslContext ssl;
        try {
            ssl = Tls.server(cert.optjstring(null), key.optjstring(null));
        } catch (NetError e) {
            return failure(e.getMessage());
        }
        return LuaValue.userdataOf(new WsServerImpl(ctx, sink, taskMode, ssl,
                HttpLimits.of(opts, HttpLimits.size(maxMessage, DEFAULT_MAX_MESSAGE)),
                HttpLimits.millis(opts, "handshakeTimeout", "eplua.websocket.handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT)));
    }

    @LuaExport("server_start")
    public CompletableFuture<Integer> serverStart(Object srv, String host, int port) {
        return server(srv).start(host, port);
    }

    @LuaExport("server_send")
    public CompletableFuture<Object> serverSend(Object srv, long cid, byte[] data, int mode, boolean reportErrors) {
        WsConn c = server(srv).client(cid);
        if (c == null) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            f.completeExceptionally(NetError.closed("no client " + cid));
            return f;
        }
        return c.send(data, mode, reportErrors);
    }

    /**
     * Callback style send: true once queued, or false, err (also an "error" event) when the client is unknown or
     * not open; a write that fails later is an "error" event.
     */
    @LuaExport("server_post")
    public Varargs serverPost(Object srv, long cid, byte[] data, int mode) {
        WsServerImpl s = server(srv);
        WsConn c = s.client(cid);
        String err = c == null ? NetError.closed("no client " + cid).getMessage()
                : !c.open ? NetError.closed("websocket is not open").getMessage() : null;
        if (err != null) {
            s.emitError(err, cid);
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(err));
        }
        c.send(data, mode, true);
        return LuaValue.TRUE;
    }

    /** A connection taken by {@code accept_async}: it belongs to the task that took it from now on. */
    @LuaExport("adopt")
    public void adopt(Object conn) {
        conn(conn).adopt();
    }

    @LuaExport("server_close_client")
    public boolean serverCloseClient(Object srv, long cid) {
        WsConn c = server(srv).client(cid);
        if (c == null) return false;
        c.close();
        return true;
    }

    @LuaExport("server_accept")
    public CompletableFuture<WsConn> serverAccept(Object srv, double timeoutMs) {
        return server(srv).accept((long) timeoutMs);
    }

    @LuaExport("server_clients")
    public LuaValue serverClients(Object srv) {
        return eplua.core.convert.LuaConvert.copyToLua(server(srv).clientIds());
    }


    // ---- helpers --------------------------------------------------------------------------------------------------

    private static WsConn conn(Object o) {
        return handle(o, WsConn.class, "websocket");
    }

    private static WsServerImpl server(Object o) {
        return handle(o, WsServerImpl.class, "websocket server");
    }
}
