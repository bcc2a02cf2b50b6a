package eplua.net.common;

import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What every network module does to install: keep the context, export its {@link eplua.core.spi.LuaExport} methods
 * into {@code _eplua[id]}, run its Lua file (after the shared one of {@link NetCommonModule}). The API version is the
 * one this jar was compiled against.
 */
public abstract class NetModule implements LuaModule {
    private final String id;
    private final String luaFile;
    protected ModuleContext ctx;

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

    /** Every network module but "net" itself needs the shared Lua helpers of {@link NetCommonModule}. */
    @Override
    public Set<String> requires() {
        return id.equals(NetCommonModule.ID) ? Set.of() : Set.of(NetCommonModule.ID);
    }

    @Override
    public final void install(ModuleContext context) throws Exception {
        ctx = context;
        installing();
        context.export(this);
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
     * engine alive only while the socket does ({@code keepsAlive}); an unref'd socket's pending read does not.
     */
    protected void settle(boolean keepsAlive, CompletableFuture<?> f, LuaValue success, LuaValue error) {
        if (keepsAlive) {
            ctx.settle(f, success, error);
            return;
        }
        f.whenComplete((v, e) -> {
            if (e == null) ctx.call(success, v);
            else ctx.call(error, NetError.message(e, null));
        });
    }

    /** {@code nil, err}: a primitive's answer for a failure the Lua file passes on (or raises, for misuse). */
    public static Varargs failure(String err) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
    }

    /** The Java object behind a handle a Lua file passed back, or a "bad argument" error naming {@code what}. */
    public static <T> T handle(Object v, Class<T> type, String what) {
        Object o = v instanceof LuaValue && ((LuaValue) v).isuserdata() ? ((LuaValue) v).touserdata() : v;
        if (type.isInstance(o)) return type.cast(o);
        String got = v instanceof LuaValue ? ((LuaValue) v).typename() : v == null ? "nil" : v.getClass().getSimpleName();
        throw new LuaError("bad argument #1 (" + what + " expected, got " + got + ")");
    }
}
