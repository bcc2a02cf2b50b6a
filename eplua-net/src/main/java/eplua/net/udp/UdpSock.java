package eplua.net.udp;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.tcp.NetError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One UDP socket as Lua sees it: received datagrams queue here (as data, ip, port) until a receive takes them.
 * Bound synchronously with plain NIO before Netty registers it, so {@code bind} returns the port at once.
 * Threading as {@link eplua.net.tcp.TcpConn}: the engine's baton serialises exported calls and Netty callbacks.
 * Inbound backpressure: with more than {@link #MAX_QUEUED} datagrams waiting, the socket stops reading (the kernel
 * then drops what overflows its buffer, as UDP does).
 */
final class UdpSock extends SimpleChannelInboundHandler<DatagramPacket> {
    static final int MAX_QUEUED = 1024;
    private static final int MAX_DATAGRAM = 65536;

    private final ModuleContext engine;
    final LuaUserdata lua = new LuaUserdata(this);
    private NioDatagramChannel ch;
    private Resource handle;
    private final ArrayDeque<Varargs> packets = new ArrayDeque<>();
    private final ArrayDeque<Recv> waiting = new ArrayDeque<>();
    private boolean closed;
    int port;

    private static final class Recv {
        final CompletableFuture<Object> future = new CompletableFuture<>();
        ScheduledFuture<?> timer;
    }

    UdpSock(ModuleContext engine) {
        this.engine = engine;
    }

    /** Binds (port 0: any free port) and starts receiving; throws NetError ("bind: ...") on failure. */
    void open(String host, int port, boolean broadcast) {
        DatagramChannel jch = null;
        try {
            InetSocketAddress at = new InetSocketAddress(host, port);
            if (at.isUnresolved()) throw new java.net.UnknownHostException(host);
            jch = DatagramChannel.open(at.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6);
            if (broadcast) jch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            jch.bind(at);
            this.port = ((InetSocketAddress) jch.getLocalAddress()).getPort();
        } catch (IOException | RuntimeException e) {
            if (jch != null) try {
                jch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw NetError.of(e, host + ":" + port);
        }
        ch = new NioDatagramChannel(jch);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        ch.pipeline().addLast(this);
        engine.eventLoop().register(ch);
        handle = engine.track("udp", false, () -> {
            closed = true;
            ch.close();
        });
    }

    boolean isOpen() {
        return ch != null && !closed;
    }

    CompletableFuture<Object> send(LuaString data, String host, int port) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (!isOpen()) {
            f.completeExceptionally(NetError.closed(null));
            return f;
        }
        InetSocketAddress to = new InetSocketAddress(host, port);
        if (to.isUnresolved()) {
            f.completeExceptionally(new NetError("unresolved: " + host));
            return f;
        }
        int len = data.m_length;
        ByteBuf b = Unpooled.wrappedBuffer(data.m_bytes, data.m_offset, len);
        ch.writeAndFlush(new DatagramPacket(b, to)).addListener(x -> {
            if (x.isSuccess()) f.complete(len);
            else f.completeExceptionally(NetError.of(x.cause(), host + ":" + port));
        });
        return f;
    }

    /** The next datagram as (data, ip, port), or fails with "timeout" / "closed". */
    CompletableFuture<Object> receive(long timeoutMs) {
        Recv r = new Recv();
        if (!isOpen()) {
            r.future.completeExceptionally(NetError.closed(null));
            return r.future;
        }
        Varargs p = packets.poll();
        if (p != null) {
            if (!ch.config().isAutoRead() && packets.size() < MAX_QUEUED / 2) ch.config().setAutoRead(true);
            r.future.complete(p);
            return r.future;
        }
        waiting.add(r);
        if (timeoutMs > 0) {
            r.timer = engine.eventLoop().schedule(() -> {
                if (waiting.remove(r)) r.future.completeExceptionally(NetError.timeout("receive"));
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        return r.future;
    }

    void close() {
        if (closed || ch == null) return;
        closed = true;
        ch.close();
        packets.clear();
        Recv r;
        while ((r = waiting.poll()) != null) {
            if (r.timer != null) r.timer.cancel(false);
            r.future.completeExceptionally(NetError.closed(null));
        }
        handle.release();
    }

    InetSocketAddress local() {
        return ch == null ? null : ch.localAddress();
    }

    // ---- Netty callbacks (loop thread) -------------------------------------------------------------------------

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        if (closed) return;
        InetSocketAddress from = msg.sender();
        Varargs p = LuaValue.varargsOf(LuaString.valueUsing(ByteBufUtil.getBytes(msg.content())),
                LuaValue.valueOf(from.getAddress().getHostAddress()), LuaValue.valueOf(from.getPort()));
        Recv r = waiting.poll();
        if (r != null) {
            if (r.timer != null) r.timer.cancel(false);
            r.future.complete(p);
            return;
        }
        packets.add(p);
        if (packets.size() >= MAX_QUEUED) ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable surfacing on a later read: not fatal for a datagram socket
    }
}
