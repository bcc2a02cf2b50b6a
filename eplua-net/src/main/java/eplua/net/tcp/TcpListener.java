package eplua.net.tcp;

import eplua.core.spi.ModuleContext;
import eplua.net.common.Inbox;
import eplua.net.common.Listener;
import eplua.net.common.NetError;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A listening TCP socket. Callback mode calls a Lua function for every accepted client; queue mode (no function)
 * keeps accepted clients until {@code accept} takes them, and stops accepting while too many wait. A client taken by
 * a task's {@code accept_async} belongs to that task (it is tracked when taken); in callback mode to nobody.
 */
final class TcpListener extends Listener {
    /** Accepted clients nobody took yet above which the listener stops accepting (queue mode). */
    private static final int MAX_QUEUED = 256;

    private final LuaValue onAccept;
    final LuaUserdata lua = new LuaUserdata(this);
    private final Inbox<TcpConn> queued;
    private final Set<TcpConn> open = new HashSet<>(); // accepted, not closed: they follow the server's ref/unref

    TcpListener(ModuleContext ctx, LuaValue onAccept) {
        super(ctx, "tcp-server");
        this.onAccept = onAccept;
        this.queued = new Inbox<>(ctx.eventLoop(), MAX_QUEUED, MAX_QUEUED / 2, this::accepting);
    }

    /** Binds and starts accepting: the future holds the bound port, or fails ("bind: ...", "resolve: ..."). */
    CompletableFuture<Integer> start(String host, int port, int backlog) {
        return listen(host, port, backlog, null, p -> accepted(p.channel()));
    }

    @Override
    protected void configure(ServerBootstrap b) {
        b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpConn.WRITE_MARKS)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, TcpConn.READ_SIZES);
    }

    /** Loop thread (holding the baton): a new client. */
    private void accepted(Channel ch) {
        if (!isRunning()) {
            ch.close();
            return;
        }
        TcpConn c = new TcpConn(ctx);
        c.server = this;
        open.add(c);
        c.keepAlive(keepsAlive());
        c.accepted(ch);
        ch.pipeline().addLast(c);
        if (onAccept != null) {
            c.track();
            InetSocketAddress a = c.remote();
            ctx.call(onAccept, c.lua, a == null ? null : a.getAddress().getHostAddress(), a == null ? 0 : a.getPort());
            return;
        }
        queued.put(c);
    }

    /** Queue mode: the next accepted client, or fails with "timeout" / "closed". */
    CompletableFuture<TcpConn> accept(long timeoutMs) {
        return queued.take(timeoutMs);
    }

    /** A client accepted by this server was closed. */
    void gone(TcpConn c) {
        open.remove(c);
    }

    @Override
    protected void connectionsKeepAlive(boolean on) {
        for (TcpConn c : open) c.keepAlive(on);
    }

    /** Clients already accepted stay open; clients nobody took are closed. */
    @Override
    protected void closeConnections() {
        queued.close(NetError.closed(null));
        for (TcpConn c : queued.drain()) c.close();
    }
}
