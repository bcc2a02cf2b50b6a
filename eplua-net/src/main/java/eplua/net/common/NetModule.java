package eplua.net.common;

import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What every network module does to install: keep the context, export its {@link eplua.core.spi.LuaExport} methods
 * and the primitives every handle has ({@link Handles}) into {@code _eplua[id]}, run the shared Lua helpers
 * ({@code eplua/net/net.lua}: {@code :ref()}, {@code :unref()}, {@code :detach()}, the {@code net} table) with that
 * table, then the module's own Lua file. No module needs another. The API version is the one this jar was compiled
 * against.
 */
public abstract class NetModule implements LuaModule {
    private final String id;
    private final String luaFile;
    protected ModuleContext ctx;

    /** The Lua helpers every network module's file builds on (run with the module's native table). */
    static final String SHARED_LUA = "eplua/net/net.lua";

    protected NetModule(String id, String luaFile) {
        this.id = id;
        this.luaFile = luaFile;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final int apiVersion() {
        return API_VERSION;
    }

    @Override
    public final void install(ModuleContext context) throws Exception {
        ctx = context;
        installing();
        context.export(this);
        context.export(Handles.INSTANCE);
        context.runLua(SHARED_LUA);
        context.runLua(luaFile);
    }

    /** Runs before the exports and the Lua file: create what the module holds per engine, export more. */
    protected void installing() {
    }

    /** For a module with servers: exports {@code server_stop} and {@code server_running} ({@link Listener.Exports}). */
    protected void exportServerControls() {
        ctx.export(new Listener.Exports());
    }

    /**
     * Callback style ({@link ModuleContext#settle}) for an operation on a socket: a callback still to come keeps the
     * engine alive only while the socket does; an unref'd socket's pending read does not.
     */
    protected void settle(NetHandle socket, CompletableFuture<?> f, LuaValue success, LuaValue error) {
        if (socket.lifetime().keepsAlive()) {
            ctx.settle(f, success, error);
            return;
        }
        f.whenComplete((v, e) -> {
            if (e != null) ctx.call(error, NetError.message(e, null));
            else if (v instanceof Varargs) ctx.call(success, (Object[]) values((Varargs) v));
            else ctx.call(success, v);
        });
    }

    /**
     * The primitives on any {@link NetHandle}, the same in every module: those behind {@code :ref()}, {@code :unref()}
     * and {@code :detach()}, and {@code close(h)}.
     */
    public static final class Handles {
        static final Handles INSTANCE = new Handles();

        @LuaExport("keep_alive")
        public void keepAlive(Object h, boolean on) {
            handle(h, NetHandle.class, "socket, server or client").keepAlive(on);
        }

        @LuaExport("detach")
        public void detach(Object h) {
            handle(h, NetHandle.class, "socket, server or client").detach();
        }

        @LuaExport("close")
        public void close(Object h) {
            handle(h, NetHandle.class, "socket, server or client").close();
        }
    }

    private static LuaValue[] values(Varargs v) {
        LuaValue[] a = new LuaValue[v.narg()];
        for (int i = 0; i < a.length; i++) a[i] = v.arg(i + 1);
        return a;
    }

    /** {@code nil, err}: a primitive's answer for a failure the Lua file passes on (or raises, for misuse). */
    public static Varargs failure(String err) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
    }

    /** {@code ip, port} of a socket address, or nil (not bound or connected). */
    protected static Varargs address(InetSocketAddress a) {
        if (a == null) return LuaValue.NIL;
        return LuaValue.varargsOf(LuaValue.valueOf(a.getAddress().getHostAddress()), LuaValue.valueOf(a.getPort()));
    }

    /** The Java object behind a handle a Lua file passed back, or a "bad argument" error naming {@code what}. */
    public static <T> T handle(Object v, Class<T> type, String what) {
        Object o = v instanceof LuaValue && ((LuaValue) v).isuserdata() ? ((LuaValue) v).touserdata() : v;
        if (type.isInstance(o)) return type.cast(o);
        String got = v instanceof LuaValue ? ((LuaValue) v).typename() : v == null ? "nil" : v.getClass().getSimpleName();
        throw new LuaError("bad argument #1 (" + what + " expected, got " + got + ")");
    }
}
