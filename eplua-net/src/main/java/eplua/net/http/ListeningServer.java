package eplua.net.http;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP and WebSocket servers share: a listening socket tracked by the engine (it keeps the engine alive
 * until stopped), binding with clear errors, and stopping that also closes every connection.
 */
public abstract class ListeningServer implements AutoCloseable {
    protected final ModuleContext engine;
    private final String kind;
    private Channel serverChannel;
    private Resource handle;

    protected ListeningServer(ModuleContext engine, String kind) {
        this.engine = engine;
        this.kind = kind;
    }

    /**
     * Tracks the server and binds {@code b}; the future holds the bound port, or fails with "bind: ..." or, when the
     * server was stopped while binding, "closed: server stopped".
     */
    protected CompletableFuture<Object> bind(ServerBootstrap b, String host, int port) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        handle = engine.track(kind, false, this);
        b.bind(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                handle.release();
                String m = f.cause().getMessage();
                out.completeExceptionally(NetErrors.of("bind: " + host + ":" + port + ": " + (m != null ? m : f.cause())));
                return;
            }
            serverChannel = ((ChannelFuture) f).channel();
            if (handle.isReleased()) { // stopped while binding
                serverChannel.close();
                out.completeExceptionally(NetErrors.of("closed: server stopped"));
                return;
            }
            out.complete(((InetSocketAddress) serverChannel.localAddress()).getPort());
        });
        return out;
    }

    public boolean isRunning() {
        return handle != null && !handle.isReleased();
    }

    /** Stops as {@link #close()}; the future completes once the listening socket is closed. */
    public CompletableFuture<Object> stop() {
        close();
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (serverChannel == null) f.complete(Boolean.TRUE);
        else serverChannel.closeFuture().addListener(x -> f.complete(Boolean.TRUE));
        return f;
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public final void close() {
        if (handle != null) handle.release();
        if (serverChannel != null) serverChannel.close();
        closeConnections();
    }

    /** Closes the server's connections and fails what waits for new ones (part of {@link #close()}). */
    protected abstract void closeConnections();
}
