package eplua.net.udp;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.common.Inbox;
import eplua.net.common.Lifetime;
import eplua.net.common.Lookups;
import eplua.net.common.NetError;
import eplua.net.common.NetHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
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
import java.util.concurrent.CompletableFuture;

/**
 * One UDP socket as Lua sees it: received datagrams queue here (as data, ip, port) until a receive takes them.
 * Bound with plain NIO before Netty registers it, so the port is known as soon as the host is looked up (at once for
 * an address). Threading: the engine's baton serialises exported calls and Netty callbacks, so no locks. Inbound
 * backpressure: with more than {@link #MAX_QUEUED} datagrams waiting, the socket stops reading (the kernel then drops
 * what overflows its buffer, as UDP does).
 */
final class UdpSock extends SimpleChannelInboundHandler<DatagramPacket> implements NetHandle {
    static final int MAX_QUEUED = 1024;
    private static final int MAX_DATAGRAM = 65536;

    private final ModuleContext ctx;
    final LuaUserdata lua = new LuaUserdata(this);
    private NioDatagramChannel ch;
    private Resource handle;
    private final Lifetime life = new Lifetime();
    private final Inbox<Varargs> packets;
    private boolean closed;

    UdpSock(ModuleContext ctx) {
        this.ctx = ctx;
        this.packets = new Inbox<>(ctx.eventLoop(), MAX_QUEUED, MAX_QUEUED / 2, on -> {
            if (ch != null) ch.config().setAutoRead(on);
        });
    }

    /** Binds (port 0: any free port) and starts receiving: the future holds the bound port or fails ("bind: ..."). */
    CompletableFuture<Integer> open(String host, int port, boolean broadcast) {
        CompletableFuture<Integer> out = new CompletableFuture<>();
        handle = life.track(ctx, "udp", this::close);
        Lookups.resolve(ctx.eventLoop(), host, (addr, failed) -> {
            if (closed) {
                out.completeExceptionally(NetError.closed(null));
                return;
            }
            DatagramChannel jch = null;
            try {
                if (failed != null) throw failed;
                jch = DatagramChannel.open(addr instanceof Inet4Address ? StandardProtocolFamily.INET
                        : StandardProtocolFamily.INET6);
                if (broadcast) jch.setOption(StandardSocketOptions.SO_BROADCAST, true);
                jch.bind(new InetSocketAddress(addr, port));
            } catch (Throwable e) {
                if (jch != null) try {
                    jch.close();
                } catch (IOException ignored) {
                    // already failing
                }
                close();
                out.completeExceptionally(NetError.of(e, addr == null ? null : addr.getHostAddress() + ":" + port));
                return;
            }
            ch = new NioDatagramChannel(jch);
            ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
            ch.pipeline().addLast(this);
            ctx.eventLoop().register(ch);
            out.complete(ch.localAddress().getPort());
        });
        return out;
    }

    boolean isOpen() {
        return ch != null && !closed;
    }

    /** Sends one datagram once {@code host} is looked up; the future holds the byte count. */
    CompletableFuture<Object> send(LuaString data, String host, int port) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (!isOpen()) {
            f.completeExceptionally(NetError.closed(null));
            return f;
        }
        int len = data.m_length;
        Lookups.resolve(ctx.eventLoop(), host, (addr, failed) -> {
            String where = host + ":" + port;
            if (failed != null) {
                f.completeExceptionally(NetError.of(failed, where));
            } else if (!isOpen()) {
                f.completeExceptionally(NetError.closed(null));
            } else {
                ByteBuf b = Unpooled.wrappedBuffer(data.m_bytes, data.m_offset, len);
                ch.writeAndFlush(new DatagramPacket(b, new InetSocketAddress(addr, port))).addListener(x -> {
                    if (x.isSuccess()) f.complete(len);
                    else f.completeExceptionally(NetError.of(x.cause(), where));
                });
            }
        });
        return f;
    }

    /** The next datagram as (data, ip, port), or fails with "timeout" / "closed". */
    CompletableFuture<Varargs> receive(long timeoutMs) {
        return packets.take(timeoutMs);
    }

    /** The non-blocking receive: data, ip, port if a datagram is queued, else nil, "timeout" (or nil, "closed"). */
    Varargs receiveNow() {
        Varargs v = packets.poll();
        if (v != null) return v;
        NetError why = packets.closedWith();
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(why != null ? why.getMessage() : NetError.TIMEOUT));
    }

    @Override
    public Lifetime lifetime() {
        return life;
    }

    /** Closes by the script or the engine: pending receives fail with "closed". */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ch != null) ch.close();
        packets.close(NetError.closed(null));
        packets.drain();
        if (handle != null) handle.release();
    }

    InetSocketAddress local() {
        return ch == null ? null : ch.localAddress();
    }

    // ---- Netty callbacks (loop thread) -------------------------------------------------------------------------

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        if (closed) return;
        InetSocketAddress from = msg.sender();
        packets.put(LuaValue.varargsOf(LuaString.valueUsing(ByteBufUtil.getBytes(msg.content())),
                LuaValue.valueOf(from.getAddress().getHostAddress()), LuaValue.valueOf(from.getPort())));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable surfacing on a later read: not fatal for a datagram socket
    }
}
