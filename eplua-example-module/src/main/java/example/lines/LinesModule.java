package example.lines;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code lines} module: {@code _eplua.lines} holds three primitives, {@code example/lines/lines.lua} the
 * friendly API. It shows the three things a module does with the SPI: export a function, own a Netty resource that
 * keeps the engine alive until closed, and call Lua back from a thread of its own.
 */
@AutoService(LuaModule.class)
public final class LinesModule implements LuaModule {
    private ModuleContext ctx;

    @Override
    public String id() {
        return "lines";
    }

    @Override
    public int apiVersion() {
        return API_VERSION; // compiled in: the core refuses the module if it does not support this version
    }

    @Override
    public void install(ModuleContext context) throws Exception {
        this.ctx = context;
        context.export(this);
        context.runLua("example/lines/lines.lua");
    }

    /** count(s, sep) -> how many pieces {@code sep} cuts {@code s} into: a plain function. */
    @LuaExport("count")
    public int count(String s, String sep) {
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int n = 1;
        for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, i + sep.length())) n++;
        return n;
    }

    /**
     * listen(port, on_line) -> server, bound port: a TCP listener on the engine's loop calling {@code on_line(line)}
     * for every line a client sends. It keeps the engine alive until {@code close(server)}.
     */
    @LuaExport("listen")
    public Varargs listen(int port, LuaValue onLine) {
        onLine.checkfunction();
        Listener l = new Listener(onLine);
        // Lua runs while the loop waits for it: never block on a Netty future here. Bind the socket at once with
        // the JDK (so errors and the port are known now), then let the loop register it.
        ServerSocketChannel bound;
        try {
            bound = ServerSocketChannel.open();
            bound.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new LuaError("bind: 127.0.0.1:" + port + ": " + e.getMessage());
        }
        l.channel = new ServerBootstrap().group(ctx.eventLoop(), ctx.eventLoop())
                .channelFactory(() -> new NioServerSocketChannel(bound))
                .childHandler(new ChannelInitializer<NioSocketChannel>() {
                    @Override
                    protected void initChannel(NioSocketChannel c) {
                        c.pipeline().addLast(new LineSplitter(l.onLine));
                    }
                })
                .register().channel();
        l.resource = ctx.track("lines-listener", false, l::close);
        return LuaValue.varargsOf(LuaValue.userdataOf(l), LuaValue.valueOf(bound.socket().getLocalPort()));
    }

    @LuaExport("close")
    public void close(LuaValue server) {
        ((Listener) server.checkuserdata(Listener.class)).close();
    }

    /**
     * later(ms, value) -> future: completed by a thread of the module's own after {@code ms}; the Lua file settles
     * it into callbacks or awaits it.
     */
    @LuaExport("later")
    public CompletableFuture<String> later(long ms, String value) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(ms);
                f.complete(value + " from " + Thread.currentThread().getName());
            } catch (InterruptedException e) {
                f.completeExceptionally(e);
            }
        }, "lines-worker");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** settle(future, success, error): the callback style over {@link ModuleContext#settle}. */
    @LuaExport("settle")
    public void settle(LuaValue future, LuaValue success, LuaValue error) {
        ctx.settle((CompletableFuture<?>) future.checkuserdata(CompletableFuture.class), success, error);
    }

    private final class Listener {
        final LuaValue onLine;
        Channel channel;
        Resource resource;

        Listener(LuaValue onLine) {
            this.onLine = onLine;
        }

        void close() {
            if (resource != null) resource.release();
            if (channel != null) channel.close();
        }
    }

    /** Cuts the byte stream into lines and hands each to Lua as a new task. */
    private final class LineSplitter extends ChannelInboundHandlerAdapter {
        private final LuaValue onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSplitter(LuaValue onLine) {
            this.onLine = onLine;
        }

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                while (b.isReadable()) {
                    byte x = b.readByte();
                    if (x != '\n') {
                        line.write(x);
                        continue;
                    }
                    ctx.call(onLine, LuaValue.valueOf(line.toByteArray()));
                    line.reset();
                }
            } finally {
                ReferenceCountUtil.release(b);
            }
        }
    }
}
