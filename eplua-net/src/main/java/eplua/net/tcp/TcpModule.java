package eplua.net.tcp;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.net.common.Access;
import eplua.net.common.Lookups;
import eplua.net.common.NetError;
import eplua.net.common.NetModule;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The "tcp" module: Java primitives in {@code _eplua.tcp}, and {@code eplua/net/tcp.lua} which builds
 * {@code net.TCPSocket}, {@code net.TCPServer}, {@code create_tcp_socket()} and {@code create_tcp_server()} on them.
 *
 * <p>Primitives (connect, listen and accept return futures; failures carry a {@link NetError} message):
 * <ul>
 * <li>{@code connect(host, port, timeout_ms)} -> sock, future(true)</li>
 * <li>{@code read_async(sock, mode, n_or_delim, timeout_ms)} -> string | nil, err, awaited by the running task;
 * mode "a" any, "n" up to n bytes (as soon as any are there), "l" line, "u" until delimiter, "e" until the peer
 * closes</li>
 * <li>{@code read_now(sock, mode, n_or_delim)}, {@code write_now(sock, data)}: the non-blocking twins, never
 * suspending: data or bytes queued, or nil, "timeout" when nothing is there yet, or nil, err</li>
 * <li>{@code write_async(sock, data)} -> bytes written | nil, err: returns at once while the outbound buffer is under
 * the high-water mark, once flushed otherwise (backpressure)</li>
 * <li>{@code read_cb(sock, mode, n_or_delim, timeout_ms, success, error)}, {@code write_cb(sock, data, success,
 * error)}: the same for callback style: success(value) or error(err) runs as a task when done</li>
 * <li>{@code close(sock)}, {@code is_open(sock)}, {@code is_connected(sock)}, {@code peer(sock)} -> ip, port,
 * {@code local(sock)} -> ip, port</li>
 * <li>{@code listen(host, port [, on_accept])} -> server, future(bound port); {@code accept(server, timeout_ms)}
 * -> future(sock), then {@code adopt(sock)} in the task that took it; {@code server_stop(server)} -> future (closed),
 * {@code server_running(server)}</li>
 * </ul>
 */
@AutoService(LuaModule.class)
public final class TcpModule extends NetModule {
    private static final int BACKLOG = 4096;

    public TcpModule() {
        super("tcp", "eplua/net/tcp.lua");
    }

    @Override
    protected void installing() {
        exportServerControls();
    }

    @LuaExport("connect")
    public Varargs connect(String host, int port, double timeoutMs) {
        TcpConn c = new TcpConn(ctx);
        c.track();
        CompletableFuture<Object> f = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(ctx.eventLoop()).channel(NioSocketChannel.class).resolver(Lookups.GROUP)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpConn.WRITE_MARKS)
                .option(ChannelOption.RCVBUF_ALLOCATOR, TcpConn.READ_SIZES)
                .handler(c);
        if (timeoutMs > 0) b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        String where = host + ":" + port;
        NetError no = Access.connect(ctx, host, port);
        ChannelFuture cf;
        try {
            if (no != null) throw no;
            cf = b.connect(host, port);
        } catch (RuntimeException e) {
            c.connectFailed(NetError.of(e, where));
            f.completeExceptionally(NetError.of(e, where));
            return LuaValue.varargsOf(c.lua, LuaValue.userdataOf(f));
        }
        c.connecting(cf, where);
        f.whenComplete((v, e) -> {
            if (e instanceof CancellationException) c.close(); // the awaiting task was cancelled: abort the connect
        });
        cf.addListener(x -> {
            if (x.isSuccess()) {
                f.complete(Boolean.TRUE);
            } else {
                NetError e = NetError.of(x.cause(), where);
                c.connectFailed(e);
                f.completeExceptionally(e);
            }
        });
        return LuaValue.varargsOf(c.lua, LuaValue.userdataOf(f));
    }

    /** Task style in one call: read, then await the bytes; data, or nil, err. The running task's turn. */
    @LuaExport("read_async")
    public Varargs readAsync(LuaValue sock, LuaValue mode, LuaValue arg, double timeoutMs) {
        return awaitResult(startRead(sock, mode, arg, timeoutMs));
    }

    /** Task style in one call: write, then await its acceptance (see TcpConn.write); bytes, or nil, err. */
    @LuaExport("write_async")
    public Varargs writeAsync(LuaValue sock, LuaValue data) {
        return awaitResult(conn(sock).write(data.checkstring()));
    }

    /** Callback style in one call: read, then {@code success(data)} or {@code error(err)} as a task. */
    @LuaExport("read_cb")
    public void readCb(LuaValue sock, LuaValue mode, LuaValue arg, double timeoutMs, LuaValue success, LuaValue error) {
        TcpConn c = conn(sock);
        settle(c, startRead(sock, mode, arg, timeoutMs), success, error);
    }

    /** Callback style in one call: write, then {@code success(bytes)} (as {@code write_async}) or {@code error(err)}. */
    @LuaExport("write_cb")
    public void writeCb(LuaValue sock, LuaValue data, LuaValue success, LuaValue error) {
        ctx.settle(conn(sock).write(data.checkstring()), success, error);
    }

    private Varargs awaitResult(CompletableFuture<Object> f) {
        return ctx.await(f, 0, null, (v, e) -> e != null
                ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(NetError.message(e, null)))
                : v instanceof LuaValue ? (LuaValue) v : LuaValue.valueOf((Integer) v));
    }

    /** Non-blocking read: data, or nil, "timeout" when the buffer does not hold it yet, or nil, err. */
    @LuaExport("read_now")
    public Varargs readNow(LuaValue sock, LuaValue mode, LuaValue arg) {
        char m = mode(mode);
        return conn(sock).readNow(m, m == TcpConn.UP_TO ? arg.checkint() : 0, m == TcpConn.UNTIL ? delimiter(arg) : null);
    }

    /** Non-blocking send: queues the bytes and returns their count at once, or nil, err for a closed socket. */
    @LuaExport("write_now")
    public Varargs writeNow(LuaValue sock, LuaValue data) {
        CompletableFuture<Object> f = conn(sock).write(data.checkstring(), true);
        if (!f.isCompletedExceptionally()) return LuaValue.valueOf(data.checkstring().m_length);
        return failure(NetError.message(f.handle((v, e) -> e).join(), null));
    }

    private CompletableFuture<Object> startRead(LuaValue sock, LuaValue mode, LuaValue arg, double timeoutMs) {
        TcpConn c = conn(sock);
        long t = (long) timeoutMs;
        char m = mode(mode);
        return c.read(m, m == TcpConn.UP_TO ? arg.checkint() : 0, m == TcpConn.UNTIL ? delimiter(arg) : null, t);
    }

    private static char mode(LuaValue mode) {
        LuaString m = mode.checkstring();
        int c = m.m_length == 1 ? m.luaByte(0) : 0;
        if (c == TcpConn.ANY || c == TcpConn.LINE || c == TcpConn.ALL || c == TcpConn.UP_TO || c == TcpConn.UNTIL) {
            return (char) c;
        }
        throw new LuaError("bad read mode '" + m.tojstring() + "'");
    }

    private static byte[] delimiter(LuaValue arg) {
        LuaString d = arg.checkstring();
        byte[] b = new byte[d.m_length];
        d.copyInto(0, b, 0, b.length);
        return b;
    }

    @LuaExport("is_open")
    public boolean isOpen(LuaValue sock) {
        return conn(sock).isOpen();
    }

    @LuaExport("is_connected")
    public boolean isConnected(LuaValue sock) {
        return conn(sock).isConnected();
    }

    /** A client taken by {@code accept_async}: it belongs to the task that took it from now on. */
    @LuaExport("adopt")
    public void adopt(LuaValue sock) {
        conn(sock).adopt();
    }

    @LuaExport("peer")
    public Varargs peer(LuaValue sock) {
        return address(conn(sock).remote());
    }

    @LuaExport("local")
    public Varargs local(LuaValue sock) {
        return address(conn(sock).local());
    }

    @LuaExport("listen")
    public Varargs listen(String host, int port, LuaValue onAccept) {
        TcpListener l = new TcpListener(ctx, onAccept.isnil() ? null : onAccept.checkfunction());
        return LuaValue.varargsOf(l.lua, LuaValue.userdataOf(l.start(host, port, BACKLOG)));
    }

    @LuaExport("accept")
    public CompletableFuture<LuaValue> accept(LuaValue server, double timeoutMs) {
        CompletableFuture<TcpConn> taken = listener(server).accept((long) timeoutMs);
        CompletableFuture<LuaValue> out = taken.thenApply(c -> c.lua);
        out.whenComplete((v, e) -> {
            if (e instanceof CancellationException) taken.cancel(false); // the waiting accept leaves the queue
        });
        return out;
    }

    private static TcpConn conn(LuaValue v) {
        Object o = v.touserdata(); // null for anything but userdata
        return o instanceof TcpConn ? (TcpConn) o : handle(v, TcpConn.class, "tcp socket");
    }

    private static TcpListener listener(LuaValue v) {
        return handle(v, TcpListener.class, "tcp server");
    }
}
