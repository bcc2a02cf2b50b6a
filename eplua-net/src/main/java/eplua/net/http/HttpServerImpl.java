package eplua.net.http;

import eplua.core.spi.ModuleContext;
import eplua.core.json.Json;
import eplua.net.common.HttpLimits;
import eplua.net.common.Listener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server whose requests are answered by Lua. Each complete request (bodies aggregated up to a limit,
 * larger ones get 413 from Netty's aggregator) is dispatched as a new task that calls the Lua handler
 * {@code handler(method, path, body, headers) -> data, status, headers} and sends what it returns. A slow handler
 * therefore blocks nobody; requests pipelined on one connection are answered in order (the next one is dispatched only
 * after the previous response was written, and the connection is not read meanwhile).
 *
 * <p>Containment ({@link HttpLimits}, eplua-net/HARDENING.md): whatever the handler does, the client gets a response —
 * a handler that raised or returned something that cannot go on the wire (a bad status, header or body) gives a 500
 * and a report to the engine's error handler. A peer that sends its request head too slowly gets 408, a keep-alive
 * connection idle too long is closed, a head over the limits gets 414 or 431, a malformed one 400; each then closes.
 */
final class HttpServerImpl extends Listener {
    private static final int IDLE = 0, HEAD = 1, BODY = 2; // what the peer is sending

    private final LuaValue handler;
    private final String handlerName;
    private final SslContext ssl;
    private final HttpLimits limits;
    private final Set<Channel> children = new LinkedHashSet<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId;

    private static final class Pending {
        final Conn conn;
        final boolean keepAlive;
        final HttpVersion version;
        final boolean head;
        final String method, uri; // for reports

        Pending(Conn conn, boolean keepAlive, HttpVersion version, String method, String uri) {
            this.conn = conn;
            this.keepAlive = keepAlive;
            this.version = version;
            this.head = method.equals("HEAD");
            this.method = method;
            this.uri = uri;
        }

        String what() {
            return method + " " + (uri.length() > 200 ? uri.substring(0, 200) + "..." : uri);
        }
    }

    /** What a handler returned that cannot go on the wire. */
    private static final class BadResponse extends Exception {
        private static final long serialVersionUID = 1L;

        BadResponse(String message) {
            super(message, null, false, false);
        }
    }

    HttpServerImpl(ModuleContext engine, LuaValue handler, String handlerName, SslContext ssl, HttpLimits limits) {
        super(engine, "http-server");
        this.handler = handler;
        this.handlerName = handlerName;
        this.ssl = ssl;
        this.limits = limits;
    }

    /** Binds; the future holds the bound port or fails with "bind: ...", "resolve: ...". */
    CompletableFuture<Integer> start(String host, int port) {
        return listen(host, port, 1024, ssl, p -> {
            Conn c = new Conn();
            p.addLast("bytes", c.bytes);
            p.addLast("codec", limits.codec());
            p.addLast("heads", c.heads);
            p.addLast("aggregate", new HttpObjectAggregator(limits.maxContent));
            p.addLast("server", c);
        });
    }

    /** Open connections (tests: none may be left behind). Lua thread. */
    int connections() {
        return children.size();
    }

    /** Closes every connection; requests not answered yet are dropped with them. */
    @Override
    protected void closeConnections() {
        for (Channel c : new java.util.ArrayList<>(children)) c.close();
        children.clear();
        pending.clear();
    }

    /**
     * The body of a request's task: calls the handler (it may await), then sends what it returned. An error it raises
     * keeps its traceback for the report; whatever else ends the call (the task cancelled) still answers 500.
     */
    private final class Dispatch extends VarArgFunction {
        final long id;

        Dispatch(long id) {
            this.id = id;
        }

        @Override
        public Varargs invoke(Varargs args) {
            Varargs r = null;
            try {
                r = handler.invoke(args);
            } catch (LuaError e) {
                ctx.report(e);
            } finally {
                if (r != null) respond(id, r.arg1(), r.arg(2), r.arg(3));
                else fail(id);
            }
            return NONE;
        }
    }

    /** Sends the response of request {@code id}; what cannot go on the wire is reported and answered 500 instead. */
    private void respond(long id, LuaValue data, LuaValue status, LuaValue headers) {
        Pending p = pending.remove(id);
        if (p == null) return; // its connection is gone
        FullHttpResponse resp;
        try {
            resp = response(p, data, status, headers);
        } catch (BadResponse | RuntimeException e) {
            ctx.report(new LuaError("HTTP handler" + (handlerName.isEmpty() ? "" : " (" + handlerName + ")") + " for "
                    + p.what() + ": " + e.getMessage() + "; the client got 500"));
            resp = internalError(p);
        }
        boolean close = resp.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        send(p.conn, resp, p.keepAlive && !close);
    }

    /** The handler of request {@code id} failed: the client gets 500. */
    private void fail(long id) {
        Pending p = pending.remove(id);
        if (p != null) send(p.conn, internalError(p), p.keepAlive);
    }

    private static FullHttpResponse internalError(Pending p) {
        byte[] body = "internal server error\n".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(p.version, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                p.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(r, body.length);
        return r;
    }

    /** The response the handler asked for: status 200..599, header names tokens, values free of control characters. */
    private FullHttpResponse response(Pending p, LuaValue data, LuaValue status, LuaValue headers) throws BadResponse {
        int code = 200;
        if (!status.isnil()) {
            double d = status.isnumber() ? status.todouble() : Double.NaN;
            if (!(d >= 200 && d <= 599 && d == Math.floor(d))) {
                throw new BadResponse("bad status " + describe(status) + " (an integer 200..599 expected)");
            }
            code = (int) d;
        }
        byte[] body;
        String type = "text/plain; charset=utf-8";
        if (data.istable()) {
            try {
                body = Json.encode(data).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                throw new BadResponse("body table cannot be sent as JSON: " + e.getMessage());
            }
            type = "application/json";
        } else if (data.isnil()) {
            body = new byte[0];
        } else if (data.isstring()) { // numbers too, as their string
            body = ctx.bytes(data.checkstring());
        } else {
            throw new BadResponse("bad body (string, number, table or nil expected, got " + data.typename() + ")");
        }
        if (!headers.isnil() && !headers.istable()) {
            throw new BadResponse("bad headers (table expected, got " + headers.typename() + ")");
        }
        boolean noBody = code == 204 || code == 304;
        FullHttpResponse resp = new DefaultFullHttpResponse(p.version, HttpResponseStatus.valueOf(code),
                p.head || noBody ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (headers.istable()) {
            LuaTable t = (LuaTable) headers;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) break;
                AsciiString name = headerName(k);
                // the server frames the body itself: a handler's length or transfer coding would contradict it
                if (name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)
                        || name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)) continue;
                resp.headers().set(name, headerValue(name, n.arg(2)));
            }
        }
        if (noBody) resp.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        else HttpUtil.setContentLength(resp, body.length);
        return resp;
    }

    private AsciiString headerName(LuaValue k) throws BadResponse {
        if (k.type() != LuaValue.TSTRING) throw new BadResponse("bad header name " + describe(k) + " (a string expected)");
        byte[] b = ctx.bytes(k);
        if (b.length == 0) throw new BadResponse("empty header name");
        for (byte c : b) {
            if (!isTokenChar(c)) throw new BadResponse("bad header name " + describe(k) + " (not an HTTP token)");
        }
        return new AsciiString(b, false);
    }

    private AsciiString headerValue(AsciiString name, LuaValue v) throws BadResponse {
        if (!v.isstring()) {
            throw new BadResponse("bad value of header '" + name + "' (string or number expected, got " + v.typename() + ")");
        }
        byte[] b = ctx.bytes(v.checkstring()); // bytes as they are: UTF-8 values reach the wire intact
        for (byte c : b) {
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                throw new BadResponse("bad value of header '" + name + "' (control character "
                        + (c == '\r' ? "CR" : c == '\n' ? "LF" : String.format("0x%02x", c)) + ")");
            }
        }
        return new AsciiString(b, false);
    }

    private static boolean isTokenChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String describe(LuaValue v) {
        String s = v.isstring() ? (v.isnumber() ? v.tojstring() : "'" + v.tojstring() + "'") : v.typename();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private void send(Conn conn, FullHttpResponse resp, boolean keepAlive) {
        Channel ch = conn.channel;
        if (ch == null || !ch.isActive()) {
            resp.release();
            return;
        }
        if (!keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (resp.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ch.writeAndFlush(resp);
        conn.answered();
    }

    /**
     * One connection: requests wait their turn here so responses go out in request order. It also keeps the read
     * deadline: with no request at the handler, a head must be complete within the header timeout of its first byte,
     * body reads may pause at most that long, and a connection between requests may stay idle for the idle timeout.
     * One timer per connection, moved forward lazily (most requests never see it fire).
     */
    private final class Conn extends SimpleChannelInboundHandler<FullHttpRequest> {
        Channel channel;
        boolean busy; // a request is at the handler: no deadlines; pipelined requests wait (and stop the reading)
        boolean stalled; // the peer does not read its responses: no reading, no dispatching until it does
        int phase = HEAD;
        long deadline; // System.nanoTime() at which the phase's time is up; 0: none
        ScheduledFuture<?> timer;
        long timerDue;
        long currentId;
        long readAt; // System.nanoTime() of the last read: the codec's messages come within it, one clock read for all
        final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();

        /** Before the codec: the first byte of a head starts its clock, body bytes push the deadline on. */
        final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                    readAt = System.nanoTime();
                    if (phase == IDLE) enter(HEAD, readAt);
                    else if (phase == BODY) deadline(limits.headerTimeoutMs, readAt);
                }
                c.fireChannelRead(msg);
            }
        };

        /** After the codec: a complete head starts the body (its header lines counted), the last content ends it. */
        final ChannelInboundHandlerAdapter heads = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (msg instanceof HttpRequest) {
                    limits.check((HttpRequest) msg);
                    enter(BODY, readAt);
                }
                if (msg instanceof LastHttpContent) enter(IDLE, readAt);
                c.fireChannelRead(msg);
            }
        };

        Conn() {
            super(false); // requests are released once dispatched
        }

        /** The peer now sends {@code p}; {@code now} is System.nanoTime(). */
        private void enter(int p, long now) {
            phase = p;
            deadline(p == IDLE ? limits.idleTimeoutMs : limits.headerTimeoutMs, now);
        }

        private void deadline(long ms, long now) {
            if (busy) return; // set again when the response is out
            if (ms <= 0) {
                deadline = 0;
                return;
            }
            deadline = now + TimeUnit.MILLISECONDS.toNanos(ms);
            if (timer != null && timerDue - deadline <= 0) return; // fires in time, and looks again then
            if (timer != null) timer.cancel(false);
            schedule(deadline - now, now);
        }

        private void schedule(long nanos, long now) {
            timerDue = now + nanos;
            timer = channel.eventLoop().schedule(this::tick, nanos, TimeUnit.NANOSECONDS);
        }

        private void tick() {
            timer = null;
            if (busy || deadline == 0 || !channel.isActive()) return;
            long now = System.nanoTime();
            long left = deadline - now;
            if (left > 0) {
                schedule(left, now);
            } else if (phase == IDLE || stalled) {
                channel.close(); // idle between requests, or not reading our responses: nothing to answer
            } else {
                HttpLimits.reject(channel, HttpResponseStatus.REQUEST_TIMEOUT);
            }
        }

        /**
         * The response of the current request is written: the next pipelined one, or back to reading. A peer that does
         * not read its responses (the outbound buffer is full) gets no more until it does, and is closed if it stays
         * so for the idle timeout.
         */
        void answered() {
            busy = false;
            if (!channel.isWritable()) {
                stalled = true;
                channel.config().setAutoRead(false);
                deadline(limits.idleTimeoutMs, System.nanoTime());
                return;
            }
            if (!queue.isEmpty()) {
                next();
                return;
            }
            channel.config().setAutoRead(true);
            enter(phase, System.nanoTime());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (stalled && ctx.channel().isWritable()) {
                stalled = false;
                answered();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            children.add(channel);
            enter(HEAD, System.nanoTime()); // a client that connects must send its request within the header timeout
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            children.remove(ctx.channel());
            if (timer != null) timer.cancel(false);
            if (busy) pending.remove(currentId);
            for (FullHttpRequest r : queue) r.release();
            queue.clear();
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            queue.add(req);
            // a pipelining peer: read no more until the request at the handler is answered. (Reading is not stopped for
            // every request: a keep-alive peer sends its next one after the answer anyway, and each stop and restart
            // costs two changes of the socket's interest set.)
            if (busy) channel.config().setAutoRead(false);
            next();
        }

        void next() {
            if (busy || stalled || queue.isEmpty()) return;
            if (!isRunning()) return;
            FullHttpRequest req = queue.poll();
            try {
                if (req.decoderResult().isFailure()) {
                    deadline = 0; // the answer is the error: no 408 after it
                    HttpLimits.reject(channel, HttpLimits.statusFor(req.decoderResult().cause()));
                    return;
                }
                busy = true;
                long id = ++nextId;
                currentId = id;
                String method = req.method().name();
                String uri = req.uri();
                pending.put(id, new Pending(this, HttpUtil.isKeepAlive(req), req.protocolVersion(), method, uri));
                byte[] body = ByteBufUtil.getBytes(req.content());
                ctx.call(new Dispatch(id), method, uri, LuaString.valueOf(body), HeaderTable.of(req.headers()));
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
