package eplua.net.http;

import com.google.auto.service.AutoService;
import eplua.core.convert.LuaConvert;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.net.tls.Tls;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code http} module: Java primitives in {@code _eplua.http}, the public API ({@code net.HTTPClient},
 * {@code net.HTTPServer}, {@code http.request}) in {@code eplua/net/http.lua}.
 *
 * <p>Primitives: {@code request(url, method, headers, body, timeout_ms, verify, ca_file, follow, max_body)} -> future of
 * {@code status, body, headers}; {@code server_new(on_request, cert, key, max_body)} -> server;
 * {@code server_start(srv, host, port)} -> future of the bound port; {@code respond(srv, id, data, status, headers)};
 * {@code server_stop(srv)}; {@code server_running(srv)}.
 */
@AutoService(LuaModule.class)
public final class HttpModule implements LuaModule {
    /** Default limit of a response body the client accepts, and of a request body the server accepts. */
    public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

    private ModuleContext engine;
    private HttpClientPool pool;

    @Override
    public String id() {
        return "http";
    }

    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    @Override
    public void install(ModuleContext ctx) throws Exception {
        engine = ctx;
        pool = new HttpClientPool(engine);
        ctx.export(this);
        ctx.runLua("eplua/net/http.lua");
    }

    @LuaExport("request")
    public CompletableFuture<Varargs> request(String url, String method, LuaValue headers, LuaValue body, double timeoutMs,
                                              boolean verify, LuaValue caFile, boolean follow, double maxBody) {
        return pool.request(url, method, headerMap(headers), body.isnil() ? null : LuaConvert.toBytes(body),
                (long) timeoutMs, verify, caFile.isnil() ? null : caFile.tojstring(), follow,
                maxBody > 0 ? (int) Math.min(Integer.MAX_VALUE, maxBody) : DEFAULT_MAX_BODY);
    }

    @LuaExport("server_new")
    public Object serverNew(LuaValue onRequest, LuaValue cert, LuaValue key, double maxBody) {
        onRequest.checkfunction();
        io.netty.handler.ssl.SslContext ssl = null;
        if (!cert.isnil() || !key.isnil()) {
            if (cert.isnil() || key.isnil()) throw new LuaError("tls: both cert and key are needed");
            try {
                ssl = Tls.server(cert.tojstring(), key.tojstring());
            } catch (IllegalArgumentException e) {
                throw new LuaError(e.getMessage());
            }
        }
        return new HttpServerImpl(engine, onRequest, ssl, maxBody > 0 ? (int) Math.min(Integer.MAX_VALUE, maxBody) : DEFAULT_MAX_BODY);
    }

    @LuaExport("server_start")
    public CompletableFuture<Object> serverStart(Object srv, String host, int port) {
        return server(srv).start(host, port);
    }

    @LuaExport("server_stop")
    public CompletableFuture<Object> serverStop(Object srv) {
        return server(srv).stop();
    }

    @LuaExport("server_running")
    public boolean serverRunning(Object srv) {
        return server(srv).isRunning();
    }

    @LuaExport("respond")
    public boolean respond(Object srv, long id, LuaValue data, LuaValue status, LuaValue headers) {
        return server(srv).respond(id, data, status, headers);
    }

    private static HttpServerImpl server(Object o) {
        if (o instanceof HttpServerImpl) return (HttpServerImpl) o;
        throw new LuaError("bad argument #1 (HTTP server expected)");
    }

    /** A Lua table of header names to values (strings or numbers) as an ordered, mutable Java map. */
    static Map<String, String> headerMap(LuaValue t) {
        if (t.isnil()) return new LinkedHashMap<>();
        if (!t.istable()) throw new LuaError("bad argument (headers must be a table, got " + t.typename() + ")");
        Map<String, String> m = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = ((LuaTable) t).next(k);
            if ((k = n.arg1()).isnil()) break;
            LuaValue v = n.arg(2);
            m.put(k.tojstring(), v.isstring() ? new String(LuaConvert.toBytes(v), StandardCharsets.UTF_8) : v.tojstring());
        }
        return m;
    }
}
