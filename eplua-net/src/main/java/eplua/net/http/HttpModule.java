package eplua.net.http;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.net.common.HttpLimits;
import eplua.net.common.Lifetime;
import eplua.net.common.NetError;
import eplua.net.common.NetModule;
import eplua.net.common.Tls;
import io.netty.handler.ssl.SslContext;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code http} module: Java primitives in {@code _eplua.http}, the public API ({@code net.HTTPClient},
 * {@code net.HTTPServer}, {@code http.request}) in {@code eplua/net/http.lua}.
 *
 * <p>Primitives: {@code request(url, method, headers, body, timeout_ms, verify, ca_file, follow, max_body, system,
 * detached)} -> future of {@code status, body, headers}, or nil, what is wrong with the url (system: the request does
 * not keep the engine alive; detached: it outlives the task that made it); {@code server_new(handler, cert, key, opts,
 * handler_name)} -> server, or nil, "tls: ..." ({@code handler(method, path, body, headers) -> data, status, headers};
 * {@code opts}: maxBodySize and the {@link HttpLimits} options; {@code handler_name} "file:line" for reports);
 * {@code server_start(srv, host, port)} -> future of the bound port; {@code server_stop(srv)},
 * {@code server_running(srv)} (shared by every server, {@link eplua.net.common.Listener.Exports}).
 */
@AutoService(LuaModule.class)
public final class HttpModule extends NetModule {
    /** Default limit of a response body the client accepts, and of a request body the server accepts. */
    public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

    private HttpClientPool pool;

    public HttpModule() {
        super("http", "eplua/net/http.lua");
    }

    @Override
    protected void installing() {
        pool = new HttpClientPool(ctx);
        exportServerControls();
    }

    @LuaExport("request")
    public Varargs request(String url, String method, LuaValue headers, LuaValue body, double timeoutMs,
                           boolean verify, LuaValue caFile, boolean follow, double maxBody, boolean system,
                           boolean detached) {
        URI uri;
        try {
            uri = HttpClientPool.parse(url);
        } catch (IllegalArgumentException e) {
            return failure(e.getMessage()); // misuse: http.lua raises it
        }
        CompletableFuture<Varargs> f = pool.request(uri, method, headerMap(headers), body.isnil() ? null : ctx.bytes(body),
                (long) timeoutMs, verify, caFile.isnil() ? null : caFile.tojstring(), follow,
                HttpLimits.size(maxBody, DEFAULT_MAX_BODY), lifetime(system, detached));
        return LuaValue.userdataOf(f);
    }

    @LuaExport("server_new")
    public Varargs serverNew(LuaValue handler, LuaValue cert, LuaValue key, LuaValue opts, LuaValue handlerName) {
        handler.checkfunction();
        double maxBody = opts.istable() ? opts.get("maxBodySize").optdouble(0) : 0;
        SslContext ssl;
        try {
            ssl = Tls.server(cert.optjstring(null), key.optjstring(null));
        } catch (NetError e) {
            return failure(e.getMessage());
        }
        return LuaValue.userdataOf(new HttpServerImpl(ctx, handler, handlerName.optjstring(""), ssl,
                HttpLimits.of(opts, HttpLimits.size(maxBody, DEFAULT_MAX_BODY))));
    }

    @LuaExport("server_start")
    public CompletableFuture<Integer> serverStart(Object srv, String host, int port) {
        return server(srv).start(host, port);
    }


    private static Lifetime lifetime(boolean system, boolean detached) {
        Lifetime l = new Lifetime();
        if (system) l.keepAlive(false);
        if (detached) l.detach();
        return l;
    }

    private static HttpServerImpl server(Object o) {
        return handle(o, HttpServerImpl.class, "HTTP server");
    }

    /** A Lua table of header names to values (strings or numbers) as an ordered, mutable Java map. */
    private Map<String, String> headerMap(LuaValue t) {
        if (t.isnil()) return new LinkedHashMap<>();
        if (!t.istable()) throw new LuaError("bad argument (headers must be a table, got " + t.typename() + ")");
        Map<String, String> m = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = ((LuaTable) t).next(k);
            if ((k = n.arg1()).isnil()) break;
            LuaValue v = n.arg(2);
            m.put(k.tojstring(), v.isstring() ? new String(ctx.bytes(v), StandardCharsets.UTF_8) : v.tojstring());
        }
        return m;
    }
}
