package eplua.net.tcp;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.common.Lifetime;
import eplua.net.common.NetError;
import eplua.net.common.NetHandle;
import eplua.net.common.Waiters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection as Lua sees it: inbound bytes are buffered here and handed to pending reads in order; writes
 * complete when Netty flushed them.
 *
 * <p>Threading: state is touched only by exported functions (run by whoever holds the engine's baton, maybe a
 * fiber) and by Netty callbacks on the loop thread (which holds the baton while they run); the baton serialises
 * both, so no locks. Netty calls made from a fiber are queued onto the loop by Netty itself.
 *
 * <p>Inbound backpressure: when nothing is reading and more than {@link #HIGH_WATER} bytes are buffered, auto-read
 * stops until a read drains the buffer.
 *
 * <p>End of stream: the bytes received so far satisfy reads first (a partial line or a stream without the delimiter
 * comes as the last piece), then reads fail with "closed" (or the error that ended the connection).
 */
public final class TcpConn extends ChannelInboundHandlerAdapter implements NetHandle {
    /** Buffered inbound bytes above which the socket stops reading while no read is pending. */
    public static final int HIGH_WATER = 1 << 20;
    /** Inbound reads smaller than this are copied to the heap when they must wait; larger ones are kept. */
    private static final int SMALL = 4096;
    /** Parts of the inbound buffer before Netty merges them into one (a copy). */
    private static final int MAX_PARTS = 64;
    /** The most one "whatever is available" read returns. */
    static final int MAX_CHUNK = 1 << 20;

    /** Outbound bytes queued above which a send waits for the flush (fewer task switches than Netty's 64 KiB). */
    static final WriteBufferWaterMark WRITE_MARKS = new WriteBufferWaterMark(256 << 10, 512 << 10);

    /**
     * Read sizes: Netty's adaptive guess, allowed to grow to 256 KiB (Netty: 64 KiB) for a fast stream, as every read
     * handed to Lua costs a task switch and a Lua string.
     */
    static final io.netty.channel.RecvByteBufAllocator READ_SIZES =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(64, 2048, 256 << 10);

    static final char ANY = 'a', UP_TO = 'n', LINE = 'l', UNTIL = 'u', ALL = 'e';

    private static final Varargs TIMEOUT = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(NetError.TIMEOUT));

    private final ModuleContext engine;
    final LuaUserdata lua = new LuaUserdata(this);
    Channel ch;
    Resource handle;
    private final Lifetime life = new Lifetime();
    TcpListener server;               // the listener that accepted it, or null
    private String where;             // the peer, "host:port", for error details
    private ChannelFuture connecting; // until the connect settles (client sockets)
    private ByteBuf buf;              // unread inbound bytes: Netty's buffer, or a composite of several; released when drained
    private final Waiters<Read> reads;
    private boolean eof;              // no more inbound bytes will come
    private boolean closedByUs;
    private NetError failure;         // why the connection ended, for reads that arrive after
    private NetError connectError;    // why the connect failed: what the non-blocking calls report
    private boolean autoRead = true;
    private ChannelFuture lastWrite;  // close waits for it, so queued bytes are not cut off
    private boolean flushQueued;
    private final Runnable flusher = () -> {
        flushQueued = false;
        ch.flush();
    };

    TcpConn(ModuleContext engine) {
        this.engine = engine;
        this.reads = new Waiters<>(engine.eventLoop(), this::updateAutoRead);
    }

    /**
     * Tracks this connection with the engine (baton holder): it keeps the engine alive until closed (unless unref'd),
     * and belongs to the running task, if any (its cancellation closes it).
     */
    void track() {
        handle = life.track(engine, "tcp", () -> {
            closedByUs = true;
            if (ch != null) ch.close();
        });
    }

    /** An accepted connection taken by a task ({@code accept_async}): tracked now, so it belongs to that task. */
    void adopt() {
        if (handle == null && !eof && !closedByUs) track();
    }

    @Override
    public Lifetime lifetime() {
        return life;
    }

    void connecting(ChannelFuture f, String where) {
        this.where = where;
        this.connecting = f;
        this.ch = f.channel();
        ch.closeFuture().addListener(x -> onClosed());
    }

    void accepted(Channel c) {
        this.ch = c;
        InetSocketAddress a = remote();
        this.where = a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
        c.closeFuture().addListener(x -> onClosed());
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    /** A pending read: its future, with what it wants. */
    private static final class Read extends Waiters.Waiter<Object> {
        final char mode;
        final int n;
        final byte[] delim;

        Read(char mode, int n, byte[] delim) {
            this.mode = mode;
            this.n = n;
            this.delim = delim;
        }
    }

    /**
     * Queues a read: mode ANY (whatever is buffered, at least one byte), UP_TO (1..n bytes, as soon as any are
     * there), LINE (up to '\n', without it and a trailing '\r'), UNTIL (up to delim, without it), ALL (everything
     * until the peer closes).
     */
    CompletableFuture<Object> read(char mode, int n, byte[] delim, long timeoutMs) {
        Read r = new Read(mode, n, delim);
        if (closedByUs) {
            r.completeExceptionally(NetError.closed(null));
            return r;
        }
        reads.add(r, 0);
        pump();
        if (timeoutMs > 0 && !r.isDone()) reads.expireAfter(r, timeoutMs);
        return r;
    }

    /** Serves pending reads from the buffer, in order; fails the rest once no more bytes can come. */
    private void pump() {
        Read r;
        while ((r = reads.peek()) != null) {
            LuaString v = take(r.mode, r.n, r.delim);
            if (v == null) {
                if (!eof) break;
                reads.poll();
                r.completeExceptionally(failure != null ? failure : NetError.closed(null));
                continue;
            }
            reads.poll();
            r.complete(v);
        }
        tidy();
    }

    /** Frees what reads consumed; reading goes on or stops (backpressure). */
    private void tidy() {
        if (buf != null) {
            if (!buf.isReadable()) dropBuffer();
            else if (buf instanceof CompositeByteBuf) ((CompositeByteBuf) buf).discardReadComponents();
        }
        updateAutoRead();
    }

    /**
     * The non-blocking read: what {@code mode} wants if the buffer holds it now, else nil, "timeout" (also while
     * queued reads wait: they go first); once the stream ended and nothing is left, nil and the end's error.
     */
    Varargs readNow(char mode, int n, byte[] delim) {
        if (closedByUs) return failure(NetError.closed(null));
        LuaString v = reads.isEmpty() ? take(mode, n, delim) : null;
        if (v != null) {
            tidy();
            return v;
        }
        if (eof && reads.isEmpty()) return failure(ended());
        return TIMEOUT;
    }

    /** Why no more bytes come: the error that ended the connection, a failed connect's error, or "closed". */
    private NetError ended() {
        return failure != null ? failure : connectError != null ? connectError : NetError.closed(null);
    }

    private static Varargs failure(NetError e) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
    }

    private LuaString take(char mode, int n, byte[] delim) {
        int avail = buf == null ? 0 : buf.readableBytes();
        switch (mode) {
            case ANY:
                return avail == 0 ? null : bytes(Math.min(avail, MAX_CHUNK), 0);
            case UP_TO:
                return avail == 0 ? null : bytes(Math.min(avail, n), 0);
            case ALL:
                return eof ? bytes(avail, 0) : null;
            case LINE: {
                if (avail == 0) return null;
                int lf = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n');
                if (lf < 0) return eof ? bytes(avail, 0) : null; // the last line, without a newline
                int len = lf - buf.readerIndex();
                int cut = len > 0 && buf.getByte(lf - 1) == '\r' ? 1 : 0;
                return bytes(len - cut, cut + 1);
            }
            case UNTIL: {
                int at = indexOf(delim);
                if (at < 0) return eof && avail > 0 ? bytes(avail, 0) : null; // the rest, without the delimiter
                return bytes(at - buf.readerIndex(), delim.length);
            }
            default:
                throw new IllegalStateException("mode " + mode);
        }
    }

    private int indexOf(byte[] d) {
        if (buf == null || d.length == 0) return -1;
        int end = buf.writerIndex() - d.length;
        for (int i = buf.readerIndex(); i <= end; i++) {
            i = buf.indexOf(i, end + 1, d[0]);
            if (i < 0) return -1;
            int k = 1;
            while (k < d.length && buf.getByte(i + k) == d[k]) k++;
            if (k == d.length) return i;
        }
        return -1;
    }

    /** Takes len bytes as a Lua string, then skips {@code skip} more (a delimiter). */
    private LuaString bytes(int len, int skip) {
        if (len == 0 && skip == 0) return LuaString.valueOf("");
        byte[] b = new byte[len];
        buf.readBytes(b);
        buf.skipBytes(skip);
        return LuaString.valueUsing(b);
    }

    private void updateAutoRead() {
        if (ch == null) return;
        boolean want = !reads.isEmpty() || buf == null || buf.readableBytes() < HIGH_WATER;
        if (want != autoRead) {
            autoRead = want;
            ch.config().setAutoRead(want); // thread-safe; from a fiber Netty queues the read() onto the loop
        }
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    /**
     * Writes the bytes of a Lua string (no copy: Lua strings are immutable); completes with the byte count: at once
     * while the socket's outbound buffer is under Netty's write high-water mark (the bytes are queued in order; a
     * later failure surfaces at the next call), and only when flushed otherwise, so a fast writer is still held back.
     */
    CompletableFuture<Object> write(LuaString s) {
        return write(s, false);
    }

    /**
     * As {@link #write(LuaString)}; {@code now}: completes at once whatever is queued (the non-blocking send), a
     * failure then ends the connection and surfaces at the next call.
     */
    CompletableFuture<Object> write(LuaString s, boolean now) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (closedByUs || ch == null || eof && !ch.isActive()) {
            f.completeExceptionally(closedByUs ? NetError.closed(null) : ended());
            return f;
        }
        ChannelFuture c = connecting;
        if (c != null && !c.isDone()) {
            if (now) f.complete(s.m_length);
            c.addListener(x -> {
                if (x.isSuccess()) doWrite(s, f, false);
                else f.completeExceptionally(NetError.closed("not connected"));
            });
        } else {
            doWrite(s, f, now || ch.isActive() && ch.isWritable());
        }
        return f;
    }

    private void doWrite(LuaString s, CompletableFuture<Object> f, boolean early) {
        int len = s.m_length;
        ByteBuf b = Unpooled.wrappedBuffer(s.m_bytes, s.m_offset, len);
        if (ch.eventLoop().inEventLoop()) {
            // one flush (one gathering write) for all writes of this turn of Lua: it runs on the loop once the running
            // task gives it back, which for a task that sends and then reads is at once
            lastWrite = ch.write(b);
            if (!flushQueued) {
                flushQueued = true;
                ch.eventLoop().execute(flusher);
            }
        } else {
            // from a thread Netty does not count as its own (a platform fiber): the write itself is queued as a task,
            // so a flush queued now could run before later writes
            lastWrite = ch.writeAndFlush(b);
        }
        if (early) f.complete(len);
        lastWrite.addListener(x -> {
            if (x.isSuccess()) {
                f.complete(len);
            } else {
                NetError e = failure != null ? failure : NetError.of(x.cause(), where);
                if (!f.completeExceptionally(e) && failure == null) {
                    failure = e; // nobody waits for this write any more: the next call reports it
                    ch.close();
                }
            }
        });
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    boolean isOpen() {
        return !closedByUs && ch != null && (ch.isActive() || connecting != null && !connecting.isDone());
    }

    /** Connected and not closed (a connect in progress is open, not connected). */
    boolean isConnected() {
        return !closedByUs && ch != null && ch.isActive();
    }

    /** Closes by the script: pending reads fail with "closed", the engine no longer waits for this socket. */
    @Override
    public void close() {
        if (closedByUs) return;
        closedByUs = true;
        eof = true;
        if (ch != null) {
            ChannelFuture w = lastWrite;
            if (w == null || w.isDone()) ch.close();
            else w.addListener(x -> ch.close());
        }
        reads.failAll(NetError.closed(null));
        dropBuffer();
        released();
    }

    private void released() {
        if (handle != null) handle.release();
        if (server != null) server.gone(this);
    }

    private void dropBuffer() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    /** Reads queued while connecting get the connect error; later ones get "closed". */
    void connectFailed(NetError e) {
        eof = true;
        connectError = e;
        reads.failAll(e);
        released();
    }

    private void onClosed() {
        eof = true;
        pump(); // buffered bytes still satisfy reads; then "closed"
        if (buf != null && (buf.isDirect() || buf instanceof CompositeByteBuf)) {
            // nobody may ever read the rest: keep it on the heap, give Netty's pooled memory back now
            ByteBuf rest = Unpooled.copiedBuffer(buf);
            buf.release();
            buf = rest;
        }
        released();
    }

    InetSocketAddress remote() {
        SocketAddress a = ch == null ? null : ch.remoteAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    InetSocketAddress local() {
        SocketAddress a = ch == null ? null : ch.localAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    // ---- Netty callbacks (loop thread) -------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf) || closedByUs) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (!in.isReadable()) {
            in.release();
            return;
        }
        if (buf == null) {
            buf = in; // most reads: served straight from Netty's buffer, no copy
        } else {
            CompositeByteBuf c;
            if (buf instanceof CompositeByteBuf) {
                c = (CompositeByteBuf) buf;
            } else {
                c = Unpooled.compositeBuffer(MAX_PARTS);
                c.addComponent(true, buf);
                buf = c;
            }
            if (in.readableBytes() < SMALL) {
                // a small read would pin a whole pooled buffer while it waits: keep a heap copy instead
                c.addComponent(true, Unpooled.copiedBuffer(in));
                in.release();
            } else {
                c.addComponent(true, in); // big reads are kept as they are: no copy (HIGH_WATER bounds them)
            }
        }
        pump();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an I/O error ends the connection; reads see it as their error (e.g. "reset: 10.0.0.2:80 (Connection reset
        // by peer)", or "too large: out of memory ..." when a read could not be held)
        if (failure == null) failure = NetError.of(cause, where);
        ctx.close();
    }
}
