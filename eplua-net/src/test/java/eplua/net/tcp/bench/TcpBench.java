package eplua.net.tcp.bench;

import eplua.core.Engine;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * TCP benchmarks, not part of the test suite: echo throughput (MB/s) and round trips/s from Lua (task style and
 * callback style) against a plain Netty echo client/server pair in the same run, both on ONE event-loop thread as an
 * engine has; then 1,000 concurrent task-style connections held open. Run: dev/bench/tcp/run.sh [total_MiB] [round_trips].
 */
public final class TcpBench {
    private static final int CHUNK = 64 * 1024;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rts = args.length > 1 ? Integer.parseInt(args[1]) : 50000;
        long total = (long) mib << 20;
        System.out.printf("TCP echo on 127.0.0.1, %d MiB in %d KiB writes, %d round trips of 16 bytes; cores=%d, java %s%n",
                mib, CHUNK / 1024, rts, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        // warm-up, JMH style: the Lua path (interpreter, scheduler, Netty) needs ~10 s of running before the JIT is
        // done with it (throughput climbs from ~0.3x to ~0.7x of Netty over that time); each kind runs for a while
        double warm = Double.parseDouble(System.getProperty("warmupSeconds", "8"));
        warmUp(warm, () -> nettyThroughput(total));
        warmUp(warm, () -> luaThroughput(total));
        warmUp(warm / 2, () -> nettyRoundTrips(rts));
        warmUp(warm, () -> luaRoundTrips(rts));
        warmUp(warm, () -> luaCallbackRoundTrips(rts));
        // each Lua run is paired with the Netty run just before it: on a noisy machine the ratio of neighbours is
        // steadier than the ratio of medians
        int rounds = Integer.getInteger("rounds", 7);
        double[] nt = new double[rounds], lt = new double[rounds], nr = new double[rounds], lr = new double[rounds],
                lc = new double[rounds], rt = new double[rounds], rr = new double[rounds], rc = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            nt[i] = nettyThroughput(total);
            lt[i] = luaThroughput(total);
            rt[i] = lt[i] / nt[i];
            nr[i] = nettyRoundTrips(rts);
            lr[i] = luaRoundTrips(rts);
            rr[i] = lr[i] / nr[i];
            double nr2 = nettyRoundTrips(rts);
            lc[i] = luaCallbackRoundTrips(rts);
            rc[i] = lc[i] / nr2;
        }
        System.out.printf("%-40s %12s %10s %s%n", "benchmark (median of " + rounds + ")", "value", "vs Netty",
                "(ratio to the Netty run just before, each round)");
        System.out.printf("%-40s %9.0f MB/s %10s%n", "plain Netty echo throughput", median(nt), "1.00");
        System.out.printf("%-40s %9.0f MB/s %10.2f %s%n", "Lua task-style echo throughput", median(lt), median(rt), list(rt));
        System.out.printf("%-40s %9.0f rt/s %10s%n", "plain Netty round trips", median(nr), "1.00");
        System.out.printf("%-40s %9.0f rt/s %10.2f %s%n", "Lua task-style round trips", median(lr), median(rr), list(rr));
        System.out.printf("%-40s %9.0f rt/s %10.2f %s%n", "Lua callback-style round trips", median(lc), median(rc), list(rc));
        heldConnections(1000);
    }

    interface Run {
        double run() throws Exception;
    }

    private static void warmUp(double seconds, Run r) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do r.run(); while (System.nanoTime() < end);
    }

    private static String list(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : " ").append(String.format("%.2f", x));
        return b.toString();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    // ---- plain Netty ------------------------------------------------------------------------------------------

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    private static Channel nettyServer(EventLoopGroup g) throws InterruptedException {
        return new ServerBootstrap().group(g, g).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Echo());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static int port(Channel server) {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** MB/s of echoed bytes: the client streams {@code total} bytes (respecting writability) and counts them back. */
    static double nettyThroughput(long total) throws Exception {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = nettyServer(g);
            CompletableFuture<Long> done = new CompletableFuture<>();
            ByteBuf raw = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
            ByteBuf chunk = Unpooled.unreleasableBuffer(raw);
            long t0 = System.nanoTime();
            Channel c = new Bootstrap().group(g).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        long sent, got;

                        void pump(ChannelHandlerContext ctx) {
                            while (sent < total && ctx.channel().isWritable()) {
                                ctx.write(chunk.duplicate());
                                sent += CHUNK;
                            }
                            ctx.flush();
                        }

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            pump(ctx);
                        }

                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            pump(ctx);
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            got += ((ByteBuf) msg).readableBytes();
                            ReferenceCountUtil.release(msg);
                            if (got >= total) done.complete(System.nanoTime());
                        }
                    }).connect("127.0.0.1", port(server)).sync().channel();
            long t1 = done.get(120, TimeUnit.SECONDS);
            c.close().sync();
            server.close().sync();
            raw.release();
            return total / 1e6 / ((t1 - t0) / 1e9);
        } finally {
            g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    /** Round trips/s: send 16 bytes, wait for all 16 back, repeat. */
    static double nettyRoundTrips(int n) throws Exception {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = nettyServer(g);
            CompletableFuture<Long> done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            Channel c = new Bootstrap().group(g).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        int count, pending;

                        void send(ChannelHandlerContext ctx) {
                            pending = 16;
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[16]));
                        }

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            send(ctx);
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            pending -= ((ByteBuf) msg).readableBytes();
                            ReferenceCountUtil.release(msg);
                            if (pending > 0) return;
                            if (++count == n) done.complete(System.nanoTime());
                            else send(ctx);
                        }
                    }).connect("127.0.0.1", port(server)).sync().channel();
            long t1 = done.get(120, TimeUnit.SECONDS);
            c.close().sync();
            server.close().sync();
            return n / ((t1 - t0) / 1e9);
        } finally {
            g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    // ---- Lua ---------------------------------------------------------------------------------------------------

    private static Engine engine() {
        // the debug library (on by default: error levels, close() stopping runaway Lua) hooks every Lua instruction;
        // -Ddebug=true measures with it
        return Engine.builder().keepJvmAlive(false).debug(Boolean.getBoolean("debug")).build();
    }

    private static final String LUA_ECHO_SERVER = String.join("\n",
            "local srv = create_tcp_server()",
            "local port = assert(srv:listen('127.0.0.1', 0))",
            "spawn(function()",
            "  local c = assert(srv:accept_async())",
            "  srv:close()",
            "  while true do",
            "    local d = c:receive_async()",
            "    if not d then break end",
            "    if not c:send_async(d) then break end",
            "  end",
            "  c:close()",
            "end)",
            "");

    static double luaThroughput(long total) throws Exception {
        try (Engine e = engine()) {
            String script = LUA_ECHO_SERVER + String.join("\n",
                    "local total = " + total,
                    "local chunk = string.rep('x', " + CHUNK + ")",
                    "local s = create_tcp_socket()",
                    "assert(s:connect_async('127.0.0.1', port))",
                    "spawn(function()",
                    "  local sent = 0",
                    "  while sent < total do assert(s:send_async(chunk)); sent = sent + #chunk end",
                    "end)",
                    "local got = 0",
                    "while got < total do got = got + #assert(s:receive_async()) end",
                    "s:close()",
                    "return got");
            return total / 1e6 / secondsToEval(e, script, "throughput.lua");
        }
    }

    /** Seconds the main chunk of {@code script} takes; then lets the engine finish what the script left. */
    private static double secondsToEval(Engine e, String script, String name) throws Exception {
        long t0 = System.nanoTime();
        e.eval(script, name).get(300, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        e.awaitIdle(Duration.ofSeconds(10));
        return (t1 - t0) / 1e9;
    }

    static double luaRoundTrips(int n) throws Exception {
        try (Engine e = engine()) {
            String script = LUA_ECHO_SERVER + String.join("\n",
                    "local msg = string.rep('r', 16)",
                    "local s = create_tcp_socket()",
                    "assert(s:connect_async('127.0.0.1', port))",
                    "for i = 1, " + n + " do",
                    "  assert(s:send_async(msg))",
                    "  local got = #assert(s:receive_async(16))", // up to 16 bytes: the rest, if any, next
                    "  while got < 16 do got = got + #assert(s:receive_async(16 - got)) end",
                    "end",
                    "s:close()");
            return n / secondsToEval(e, script, "roundtrips.lua");
        }
    }

    /** The same round trips written with callbacks on both sides (net.TCPServer / net.TCPSocket). */
    static double luaCallbackRoundTrips(int n) throws Exception {
        try (Engine e = engine()) {
            String script = String.join("\n",
                    "local srv = net.TCPServer()",
                    "local port = srv:start('127.0.0.1', 0, function(c)",
                    "  srv:stop()",
                    "  local function loop() c:read({success = function(d) c:send(d); loop() end,",
                    "    error = function() c:close() end}) end",
                    "  loop()",
                    "end)",
                    "local msg = string.rep('r', 16)",
                    "local s = net.TCPSocket()",
                    "local count, pending = 0, 0",
                    "local step",
                    "local function onread(d)",
                    "  pending = pending - #d",
                    "  if pending > 0 then return s:read({success = onread}) end",
                    "  count = count + 1",
                    "  if count == " + n + " then s:close() else step() end",
                    "end",
                    "step = function() pending = 16; s:send(msg); s:read({success = onread}) end",
                    "s:connect('127.0.0.1', port, {success = step})");
            long t0 = System.nanoTime();
            e.eval(script, "cb_roundtrips.lua").get(300, TimeUnit.SECONDS);
            if (!e.awaitIdle(Duration.ofSeconds(300))) throw new IllegalStateException("callback round trips did not finish");
            long t1 = System.nanoTime();
            return n / ((t1 - t0) / 1e9);
        }
    }

    /** n task-style client connections, each answered by a task-style server task, all held open at once. */
    static void heldConnections(int n) throws Exception {
        try (Engine e = engine()) {
            int threads0 = Thread.activeCount();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long mem0 = rt.totalMemory() - rt.freeMemory();
            String setup = String.join("\n",
                    "local n = " + n,
                    "srv = create_tcp_server()",
                    "local port = assert(srv:listen('127.0.0.1', 0))",
                    "spawn(function()",
                    "  for i = 1, n do",
                    "    local c = assert(srv:accept_async())",
                    "    spawn(function()",
                    "      local l = assert(c:receive_async('*l'))",
                    "      assert(c:send_async(l .. '\\n'))",
                    "      c:receive_async()", // parked on a read until the client closes
                    "      c:close()",
                    "    end)",
                    "  end",
                    "end)",
                    "local tasks = {}",
                    "for i = 1, n do",
                    "  tasks[i] = spawn(function()",
                    "    local s = create_tcp_socket()",
                    "    assert(s:connect_async('127.0.0.1', port))",
                    "    assert(s:send_async('hi ' .. i .. '\\n'))",
                    "    assert(s:receive_async('*l') == 'hi ' .. i)",
                    "    return s",
                    "  end)",
                    "end",
                    "clients = {}",
                    "for i = 1, n do clients[i] = tasks[i]:await() end",
                    "local open = 0",
                    "for i = 1, n do if clients[i]:is_open() then open = open + 1 end end",
                    "return open");
            long t0 = System.nanoTime();
            int open = e.eval(setup, "held.lua").get(300, TimeUnit.SECONDS).arg1().toint();
            long t1 = System.nanoTime();
            System.gc();
            long mem1 = rt.totalMemory() - rt.freeMemory();
            int threads1 = Thread.activeCount();
            long t2 = System.nanoTime();
            e.eval("for _, s in ipairs(clients) do s:close() end srv:close()", "close.lua").get(60, TimeUnit.SECONDS);
            boolean idle = e.awaitIdle(Duration.ofSeconds(60));
            long t3 = System.nanoTime();
            System.out.printf("%d task-style connections (plus %d server tasks parked on reads): %d open at once; "
                            + "set up in %.0f ms, closed in %.0f ms (idle=%s); threads %d -> %d; heap +%.0f MB%n",
                    n, n, open, (t1 - t0) / 1e6, (t3 - t2) / 1e6, idle, threads0, threads1, (mem1 - mem0) / 1e6);
        }
    }
}
