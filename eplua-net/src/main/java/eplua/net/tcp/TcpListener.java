package eplua.net.tcp;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A listening TCP socket. Callback mode calls a Lua function for every accepted client; queue mode (no function)
 * keeps accepted clients until {@code accept} takes them. The socket is bound synchronously with plain NIO before
 * Netty registers it, so the bound port is known at once and bind errors reach the caller directly.
 */
final class TcpListener {
    /** Accepted clients nobody took yet above which the listener stops accepting (queue mode). */
    private static final int MAX_QUEUED = 256;

    private final ModuleContext engine;
    private final LuaValue onAccept;
    final LuaUserdata lua = new LuaUserdata(this);
    private final ArrayDeque<TcpConn> queued = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Object>> waiting = new ArrayDeque<>();
    private Channel channel;
    private Resource handle;
    private boolean closed;
    int port;

    TcpListener(ModuleContext engine, LuaValue onAccept) {
        this.engine = engine;
        this.onAccept = onAccept;
    }

    /** Binds and starts accepting; throws NetError ("bind: ...") if the address cannot be bound. */
    void start(String host, int port, int backlog) {
        ServerSocketChannel jch;
        try {
            jch = ServerSocketChannel.open();
            jch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            jch.bind(new InetSocketAddress(host, port), backlog);
        } catch (IOException | RuntimeException e) {
            throw NetError.of(e, host + ":" + port);
        }
        this.port = jch.socket().getLocalPort();
        ServerSocketChannel bound = jch;
        ServerBootstrap b = new ServerBootstrap()
                .group(engine.eventLoop(), engine.eventLoop())
                .channelFactory(() -> new NioServerSocketChannel(bound))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpConn.WRITE_MARKS)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, TcpConn.READ_SIZES)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted(ch);
                    }
                });
        channel = b.register().channel(); // already bound: registration starts accepting (channelActive)
        handle = engine.track("tcp-server", false, () -> {
            closed = true;
            channel.close();
            for (TcpConn c : queued) c.close();
        });
    }

    /** Loop thread (holding the baton): a new client. */
    private void accepted(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        TcpConn c = new TcpConn(engine);
        c.accepted(ch);
        c.track();
        ch.pipeline().addLast(c);
        if (onAccept != null) {
            InetSocketAddress a = c.remote();
            engine.call(onAccept, c.lua, a == null ? null : a.getAddress().getHostAddress(), a == null ? 0 : a.getPort());
            return;
        }
        CompletableFuture<Object> w = waiting.poll();
        if (w != null) {
            w.complete(c.lua);
            return;
        }
        queued.add(c);
        if (queued.size() >= MAX_QUEUED) channel.config().setAutoRead(false);
    }

    /** Queue mode: the next accepted client (its Lua handle), or fails with "timeout"/"closed". */
    CompletableFuture<Object> accept(long timeoutMs) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(NetError.closed(null));
            return f;
        }
        TcpConn c = queued.poll();
        if (c != null) {
            if (queued.size() < MAX_QUEUED / 2 && !channel.config().isAutoRead()) channel.config().setAutoRead(true);
            f.complete(c.lua);
            return f;
        }
        waiting.add(f);
        if (timeoutMs > 0) {
            ScheduledFuture<?> t = engine.eventLoop().schedule(() -> {
                if (waiting.remove(f)) f.completeExceptionally(NetError.timeout("accept"));
            }, timeoutMs, TimeUnit.MILLISECONDS);
            f.whenComplete((v, e) -> t.cancel(false));
        }
        return f;
    }

    /** Stops listening; clients already accepted stay open, clients nobody took are closed. */
    void close() {
        if (closed) return;
        closed = true;
        channel.close();
        TcpConn c;
        while ((c = queued.poll()) != null) c.close();
        CompletableFuture<Object> w;
        while ((w = waiting.poll()) != null) w.completeExceptionally(NetError.closed(null));
        handle.release();
    }
}
