package eplua.net.ws;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.http.NetErrors;
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
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One open (or opening) WebSocket, client or server side: the last handler of the pipeline, after Netty's protocol
 * handler (handshake, ping/pong, close frames) and frame aggregator. Messages go to the Lua event function
 * ({@code sink}) when one is set, and into an inbox for {@code receive_async} when buffering is on. Touched only while
 * holding the engine's turn.
 */
public final class WsConn extends SimpleChannelInboundHandler<WebSocketFrame> {
    static final int INBOX_HIGH = 1024;
    static final int INBOX_LOW = 256;

    final ModuleContext engine;
    final WsServerImpl server; // null for a client
    final long id;             // the server's client id; 0 for a client
    LuaValue sink = LuaValue.NIL;
    Channel channel;
    boolean open;
    boolean everOpen;
    boolean buffering;
    private boolean failedOnce;
    String closeReason;
    Resource handle;
    CompletableFuture<Object> connected;
    private final ArrayDeque<Varargs> inbox = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Object>> waiters = new ArrayDeque<>();

    WsConn(ModuleContext engine, WsServerImpl server, long id) {
        this.engine = engine;
        this.server = server;
        this.id = id;
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
            String m = "closed: websocket is not open";
            f.completeExceptionally(NetErrors.of(m));
            if (report) emit("error", m);
            return f;
        }
        boolean binary = mode == 2 || (mode == 0 && !isUtf8(data));
        WebSocketFrame frame = binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data))
                : new TextWebSocketFrame(Unpooled.wrappedBuffer(data));
        channel.writeAndFlush(frame).addListener(w -> {
            if (w.isSuccess()) {
                f.complete(Boolean.TRUE);
            } else {
                String m = "closed: " + NetErrors.describe(w.cause(), "websocket", 0);
                f.completeExceptionally(NetErrors.of(m));
                if (report) emit("error", m);
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
    void close() {
        Channel ch = channel;
        if (ch == null) return;
        if (open && ch.isActive()) {
            open = false;
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            // a peer that never answers must not keep us: close anyway after a while
            ch.eventLoop().schedule(() -> { ch.close(); }, 2, TimeUnit.SECONDS);
        } else {
            ch.close();
        }
    }

    // ---- receiving ---------------------------------------------------------------------------------------------

    /** The next message, or fails "timeout" after {@code timeoutMs} (0 = wait forever) or "closed". */
    CompletableFuture<Object> receive(long timeoutMs) {
        buffering = true;
        CompletableFuture<Object> f = new CompletableFuture<>();
        Varargs m = inbox.poll();
        if (m != null) {
            f.complete(m);
            resumeReading();
            return f;
        }
        if (!open) {
            f.completeExceptionally(NetErrors.of(closeReason != null ? closeReason : "closed"));
            return f;
        }
        waiters.add(f);
        if (timeoutMs > 0) {
            ScheduledFuture<?> t = engine.eventLoop().schedule(() -> {
                if (waiters.remove(f)) f.completeExceptionally(NetErrors.of("timeout"));
            }, timeoutMs, TimeUnit.MILLISECONDS);
            f.whenComplete((v, e) -> t.cancel(false));
        }
        return f;
    }

    private void resumeReading() {
        if (channel != null && !channel.config().isAutoRead() && inbox.size() <= INBOX_LOW) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        boolean binary;
        if (frame instanceof TextWebSocketFrame) binary = false;
        else if (frame instanceof BinaryWebSocketFrame) binary = true;
        else return; // ping/pong/close are handled by Netty's protocol handler
        LuaString data = LuaString.valueOf(ByteBufUtil.getBytes(frame.content()));
        emit(server != null ? "receive" : "dataReceived", data, binary);
        if (!buffering) return;
        Varargs msg = LuaValue.varargsOf(data, LuaValue.valueOf(binary));
        CompletableFuture<Object> w = waiters.poll();
        if (w != null) {
            w.complete(msg);
            return;
        }
        inbox.add(msg);
        if (inbox.size() >= INBOX_HIGH) ctx.channel().config().setAutoRead(false); // backpressure on the peer
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean was = everOpen;
        open = false;
        if (closeReason == null) closeReason = "closed";
        for (CompletableFuture<Object> w : waiters) w.completeExceptionally(NetErrors.of(closeReason));
        waiters.clear();
        if (connected != null && !connected.isDone()) connected.completeExceptionally(NetErrors.of(closeReason));
        // events first, then the handle: releasing it may let the engine go idle before the event is queued
        if (server != null) server.removed(this, was);
        else if (was) emit("disconnected");
        if (handle != null) handle.release();
        super.channelInactive(ctx);
    }

    /** A failure on this connection: reported as an "error" event (and to pending awaits), then the socket closes. */
    void failed(String message) {
        if (failedOnce) {
            if (channel != null) channel.close();
            return;
        }
        failedOnce = true;
        if (closeReason == null) closeReason = message;
        if (connected != null && !connected.isDone()) connected.completeExceptionally(NetErrors.of(message));
        emit("error", message);
        if (channel != null) channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (channel == null) channel = ctx.channel();
        failed(WebSocketModule.describe(cause, server == null ? "websocket" : "client " + id));
    }
}
