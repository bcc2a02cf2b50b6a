package eplua.net.common;

import eplua.core.spi.LuaExport;
import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A listening TCP socket tracked by the engine, the one way every server (tcp, http, websocket) binds: the host is
 * looked up off the loop ({@link Lookups}), then bound with plain NIO (so the port and any bind error are known at
 * once) and registered with the engine's loop. It keeps the engine alive until stopped; stopping also closes the
 * server's connections ({@link #closeConnections}). The port is closed for good (a connect is refused) once the
 * {@link #stop} future completed and the loop polled for I/O once more: the JDK closes a socket registered with a
 * selector only when that selector next looks at its keys (eplua/net/net.lua's {@code N.stopped} waits for both).
 *
 * <p>Unref'd ({@link #keepAlive}), the server and the connections it accepts let the engine go idle; each connection
 * starts with the server's setting (a server's unref reaches the connections it already has too, see
 * {@link #connectionsKeepAlive}).
 */
public abstract class Listener implements AutoCloseable, NetHandle {
    protected final ModuleContext ctx;
    private final String kind;
    private final Lifetime life = new Lifetime();
    private Channel channel;
    private Resource handle;
    private int port;

    protected Listener(ModuleContext ctx, String kind) {
        this.ctx = ctx;
        this.kind = kind;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) with {@code backlog}; each accepted connection gets a TLS handler
     * first when {@code tls} is given, then what {@code init} adds to its pipeline. The future holds the bound port at
     * once for an address literal, after the lookup for a name; it fails with "resolve", "bind", "denied", or
     * "closed: server stopped" when stopped meanwhile. Lua thread.
     */
    protected CompletableFuture<Integer> listen(String host, int port, int backlog, SslContext tls,
                                                Consumer<ChannelPipeline> init) {
        ServerBootstrap b = new ServerBootstrap().childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        if (tls != null) c.pipeline().addLast("tls", tls.newHandler(c.alloc()));
                        init.accept(c.pipeline());
                    }
                });
        configure(b);
        CompletableFuture<Integer> out = new CompletableFuture<>();
        handle = life.track(ctx, kind, this);
        NetError no = Access.listen(ctx, host, port);
        if (no != null) {
            handle.release();
            out.completeExceptionally(no);
            return out;
        }
        Lookups.resolve(ctx.eventLoop(), host, (addr, failed) -> bind(addr, failed, port, backlog, b, out));
        return out;
    }

    private void bind(InetAddress addr, Throwable failed, int port, int backlog, ServerBootstrap b,
                      CompletableFuture<Integer> out) {
        if (handle.isReleased()) {
            out.completeExceptionally(NetError.closed("server stopped"));
            return;
        }
        String where = addr == null ? null : addr.getHostAddress() + ":" + port;
        ServerSocketChannel jch = null;
        try {
            if (failed != null) throw failed;
            jch = ServerSocketChannel.open();
            jch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            jch.bind(new InetSocketAddress(addr, port), backlog);
        } catch (Throwable e) {
            if (jch != null) try {
                jch.close();
            } catch (IOException ignored) {
                // already failing
            }
            handle.release();
            out.completeExceptionally(NetError.of(e, where));
            return;
        }
        this.port = jch.socket().getLocalPort();
        ServerSocketChannel bound = jch;
        channel = b.group(ctx.eventLoop(), ctx.eventLoop())
                .channelFactory(() -> new NioServerSocketChannel(bound))
                .register().channel(); // already bound: registering starts accepting
        out.complete(this.port);
    }

    /** The Lua primitives every server module exports the same: {@code server_stop(srv)}, {@code server_running(srv)}. */
    public static final class Exports {
        /** Stops the server; the future completes once its port is closed. */
        @LuaExport("server_stop")
        public CompletableFuture<Object> serverStop(Object srv) {
            return NetModule.handle(srv, Listener.class, "server").stop();
        }

        @LuaExport("server_running")
        public boolean serverRunning(Object srv) {
            return NetModule.handle(srv, Listener.class, "server").isRunning();
        }
    }

    @Override
    public Lifetime lifetime() {
        return life;
    }

    @Override
    public void keepAlive(boolean on) {
        life.keepAlive(on);
        connectionsKeepAlive(on);
    }

    /** True unless unref'd: what a newly accepted connection starts with. */
    protected boolean keepsAlive() {
        return life.keepsAlive();
    }

    /** The server was ref'd or unref'd: so are the connections it has (those that are tracked). */
    protected void connectionsKeepAlive(boolean on) {
    }

    /** Adds child options to the bootstrap (TCP_NODELAY is on already). */
    protected void configure(ServerBootstrap b) {
    }

    /** The bound port (0 until bound). */
    public int port() {
        return port;
    }

    public boolean isRunning() {
        return handle != null && !handle.isReleased();
    }

    /** Stops accepting for a while (backpressure), or starts again. */
    protected void accepting(boolean on) {
        if (channel != null) channel.config().setAutoRead(on);
    }

    /** Stops as {@link #close()}; the future completes once the listening socket is closed. */
    public CompletableFuture<Object> stop() {
        close();
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (channel == null) f.complete(Boolean.TRUE);
        else channel.closeFuture().addListener(x -> f.complete(Boolean.TRUE));
        return f;
    }

    /** Stops listening and closes the server's connections. Idempotent. */
    @Override
    public final void close() {
        if (handle != null) handle.release();
        if (channel != null) channel.close();
        closeConnections();
    }

    /** Closes the server's connections and fails what waits for new ones (part of {@link #close()}). */
    protected abstract void closeConnections();
}
