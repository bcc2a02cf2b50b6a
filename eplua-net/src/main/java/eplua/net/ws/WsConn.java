package eplua.net.ws;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.common.Inbox;
import eplua.net.common.Lifetime;
import eplua.net.common.NetError;
import eplua.net.common.NetHandle;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One open (or opening) WebSocket, client or server side: the last handler of the pipeline, after Netty's protocol
 * handler (handshake, ping/pong, close frames) and frame aggregator. Messages go to the Lua event function
 * ({@code sink}) when one is set, and into an inbox for {@code receive_async} when buffering is on. Touched only while
 * holding the engine's turn.
 */
public final class WsConn extends SimpleChannelInboundHandler<WebSocketFrame> implements NetHandle {
    static final int INBOX_HIGH = 1024;
    static final int INBOX_LOW = 256;

    final ModuleContext engine;
    final WsServerImpl server; // null for a client
    final long id;             // the server's client id; 0 for a client
    String where;              // the peer, "host:port", for error details
    LuaValue sink = LuaValue.NIL;
    Channel channel;
    boolean open;
    boolean everOpen;
    boolean buffering;
    private boolean failedOnce;
    private NetError closeReason;
    Resource handle;
    final Lifetime life = new Lifetime();
    CompletableFuture<Object> connected;
    private final Inbox<Varargs> inbox;

    WsConn(ModuleContext engine, WsServerImpl server, long id) {
        this.engine = engine;
        this.server = server;
        this.id = id;
        this.inbox = new Inbox<>(engine.eventLoop(), INBOX_HIGH, INBOX_LOW, on -> {
            if (channel != null) channel.config().setAutoRead(on); // backpressure on the peer
        });
    }

    /** Tracks this connection (it keeps the engine alive unless unref'd, and belongs to the running task, if any). */
    void track(String kind) {
        handle = life.track(engine, kind, this::close);
    }

    /** A server connection taken by a task ({@code accept_async}): tracked now, so it belongs to that task. */
    void adopt() {
        if (handle == null && channel != null && channel.isActive()) track("websocket-connection");
    }

    @Override
    public Lifetime lifetime() {
        return life;
    }

    /** Lua event: a client sink gets (event, args...), a server's gets (event, cid, args...). */
    void emit(String event, Object... args) {
        if (server != null) {
            server.emit(event, this, args);
            return;
        }
        if (sink.isnil()) return;
        Object[] a = new Object[args.length + 1];
        a[0] = event;
        System.arraycopy(args, 0, a, 1, args.length);
        engine.call(sink, a);
    }

    /** The handshake finished: the socket is open. */
    void opened(Channel ch) {
        if (where == null && ch.remoteAddress() instanceof java.net.InetSocketAddress) {
            java.net.InetSocketAddress a = (java.net.InetSocketAddress) ch.remoteAddress();
            where = a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        channel = ch;
        open = true;
        everOpen = true;
        if (connected != null) connected.complete(Boolean.TRUE);
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    /** mode: 0 = text if valid UTF-8 else binary, 1 = text, 2 = binary. Future: true, or fails "closed". */
    CompletableFuture<Object> send(byte[] data, int mode, boolean report) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (!open || channel == null || !channel.isActive()) {
            NetError e = NetError.closed("websocket is not open");
            f.completeExceptionally(e);
            if (report) emit("error", e.getMessage());
            return f;
        }
        boolean binary = mode == 2 || (mode == 0 && !isUtf8(data));
        WebSocketFrame frame = binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data))
                : new TextWebSocketFrame(Unpooled.wrappedBuffer(data));
        channel.writeAndFlush(frame).addListener(w -> {
            if (w.isSuccess()) {
                f.complete(Boolean.TRUE);
            } else {
                NetError e = NetError.of(w.cause(), where);
                f.completeExceptionally(e);
                if (report) emit("error", e.getMessage());
            }
        });
        return f;
    }

    static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Sends a close frame (normal closure) and closes the connection once it is written. */
    @Override
    public void close() {
        Channel ch = channel;
        if (ch == null) return;
        if (open && ch.isActive()) {
            open = false;
            if (closeReason == null) closeReason = NetError.closed(null);
            inbox.close(closeReason); // receives get what is queued, then "closed"
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            // a peer that never answers must not keep us: close anyway after a while
            ch.eventLoop().schedule(() -> { ch.close(); }, 2, TimeUnit.SECONDS);
        } else {
            ch.close();
        }
    }

    // ---- receiving ---------------------------------------------------------------------------------------------

    /** The next message, or fails "timeout" after {@code timeoutMs} (0 = wait forever) or "closed". */
    CompletableFuture<Varargs> receive(long timeoutMs) {
        buffering = true;
        if (!open && !inbox.isClosed()) { // not open yet, or failed before it opened
            CompletableFuture<Varargs> f = new CompletableFuture<>();
            f.completeExceptionally(closeReason != null ? closeReason : NetError.closed("websocket is not open"));
            return f;
        }
        return inbox.take(timeoutMs); // once closed: the messages still queued, then the close reason
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        boolean binary;
        if (frame instanceof TextWebSocketFrame) binary = false;
        else if (frame instanceof BinaryWebSocketFrame) binary = true;
        else return; // ping/pong/close are handled by Netty's protocol handler
        LuaString data = LuaString.valueOf(ByteBufUtil.getBytes(frame.content()));
        emit(server != null ? "receive" : "dataReceived", data, binary);
        if (buffering) inbox.put(LuaValue.varargsOf(data, LuaValue.valueOf(binary)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean was = everOpen;
        open = false;
        if (closeReason == null) closeReason = NetError.closed(null); // an orderly end reads "closed", as at EOF in tcp
        inbox.close(closeReason);
        if (connected != null && !connected.isDone()) connected.completeExceptionally(closeReason);
        // events first, then the handle: releasing it may let the engine go idle before the event is queued
        if (server != null) server.removed(this, was);
        else if (was) emit("disconnected");
        if (handle != null) handle.release();
        super.channelInactive(ctx);
    }

    /** A failure on this connection: reported as an "error" event (and to pending awaits), then the socket closes. */
    void failed(NetError why) {
        if (failedOnce) {
            if (channel != null) channel.close();
            return;
        }
        failedOnce = true;
        if (closeReason == null) closeReason = why;
        if (connected != null && !connected.isDone()) connected.completeExceptionally(why);
        emit("error", why.getMessage());
        if (channel != null) channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (channel == null) channel = ctx.channel();
        failed(NetError.of(cause, where));
    }
}
