package eplua.net.udp;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.net.common.Access;
import eplua.net.common.NetError;
import eplua.net.common.NetModule;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CompletableFuture;

/**
 * The "udp" module: Java primitives in {@code _eplua.udp}, and {@code eplua/net/udp.lua} which builds
 * {@code net.UDPSocket} and {@code create_udp_socket()} on them.
 *
 * <p>Primitives: {@code open(host, port, broadcast)} -> sock, future(bound port);
 * {@code send(sock, data, host, port)} -> future(bytes); {@code receive(sock, timeout_ms)} -> future(data, ip, port);
 * {@code receive_cb(sock, timeout_ms, success, error)} (callback style: an unref'd socket's pending receive does not
 * keep the engine alive); {@code receive_now(sock)} -> data, ip, port, or nil, "timeout" at once (non-blocking);
 * {@code close(sock)} (every module's, {@link NetModule.Handles}); {@code local(sock)} -> ip, port. Futures fail with a {@link NetError} message.
 */
@AutoService(LuaModule.class)
public final class UdpModule extends NetModule {
    public UdpModule() {
        super("udp", "eplua/net/udp.lua");
    }

    @LuaExport("open")
    public Varargs open(String host, int port, boolean broadcast) {
        UdpSock s = new UdpSock(ctx);
        NetError no = port == 0 ? null : Access.listen(ctx, host, port); // any free port: a client's socket
        return LuaValue.varargsOf(s.lua, LuaValue.userdataOf(no != null ? CompletableFuture.failedFuture(no)
                : s.open(host, port, broadcast)));
    }

    @LuaExport("send")
    public CompletableFuture<Object> send(LuaValue sock, LuaValue data, String host, int port) {
        UdpSock s = sock(sock);
        NetError no = Access.connect(ctx, host, port);
        return no != null ? CompletableFuture.failedFuture(no) : s.send(data.checkstring(), host, port);
    }

    @LuaExport("receive")
    public CompletableFuture<Varargs> receive(LuaValue sock, double timeoutMs) {
        return sock(sock).receive((long) timeoutMs);
    }

    @LuaExport("receive_cb")
    public void receiveCb(LuaValue sock, double timeoutMs, LuaValue success, LuaValue error) {
        UdpSock s = sock(sock);
        settle(s, s.receive((long) timeoutMs), success, error);
    }

    @LuaExport("receive_now")
    public Varargs receiveNow(LuaValue sock) {
        return sock(sock).receiveNow();
    }

    @LuaExport("local")
    public Varargs local(LuaValue sock) {
        return address(sock(sock).local());
    }

    private static UdpSock sock(LuaValue v) {
        return handle(v, UdpSock.class, "udp socket");
    }
}
