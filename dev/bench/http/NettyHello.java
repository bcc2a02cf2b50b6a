import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;

import java.nio.charset.StandardCharsets;

/** Baseline: a plain Netty NIO hello-world HTTP server, same pipeline shape as eplua's (codec + aggregator). */
public final class NettyHello {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        byte[] body = "hello world".getBytes(StandardCharsets.UTF_8);
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        new ServerBootstrap().group(g, g).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(),
                                                HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                                        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                                        HttpUtil.setContentLength(r, body.length);
                                        if (HttpUtil.isKeepAlive(req)) ctx.writeAndFlush(r);
                                        else ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                                    }
                                });
                    }
                }).bind("127.0.0.1", port).sync();
        System.out.println("netty listening on " + port + " with " + threads + " thread(s)");
    }
}
