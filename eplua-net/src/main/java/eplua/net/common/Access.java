package eplua.net.common;

import eplua.core.spi.ModuleContext;
import java.util.function.ObjIntConsumer;
import org.luaj.vm2.LuaError;

/**
 * The engine profile's say on network access ({@link ModuleContext#checkConnect}, {@link ModuleContext#checkListen}),
 * as a net failure the script gets like any other ({@code nil, "denied: ..."} or an error callback): null when the
 * profile allows it. Every client connect, datagram target and server bind asks first. Lua thread.
 */
public final class Access {
    private Access() {}

    /** Null when a connection (or a datagram) to {@code host:port} is allowed, else the "denied" failure. */
    public static NetError connect(ModuleContext ctx, String host, int port) {
        return ask(ctx::checkConnect, host, port);
    }

    /** Null when a server may bind {@code host:port}, else the "denied" failure. */
    public static NetError listen(ModuleContext ctx, String host, int port) {
        return ask(ctx::checkListen, host, port);
    }

    /** Runs one of the context's checks, which raise a LuaError when the profile refuses. */
    private static NetError ask(ObjIntConsumer<String> check, String host, int port) {
        try {
            check.accept(host, port);
            return null;
        } catch (LuaError e) {
            return denied(e);
        }
    }

    private static NetError denied(LuaError e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.startsWith(NetError.DENIED)) m = m.substring(NetError.DENIED.length()).replaceFirst("^:\\s*", "");
        return NetError.of(NetError.DENIED, m);
    }
}
