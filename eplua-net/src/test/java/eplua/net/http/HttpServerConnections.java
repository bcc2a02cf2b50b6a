package eplua.net.http;

import org.luaj.vm2.LuaValue;

/** Test access to an HTTP server's open connections, by the Lua global holding the net.HTTPServer. */
public final class HttpServerConnections {
    private HttpServerConnections() {}

    public static int count(TestSupport.Lua lua, String global) {
        return lua.engine.call(() -> {
            LuaValue srv = lua.engine.globals().get(global).get("_srv");
            return ((HttpServerImpl) srv.touserdata()).connections();
        });
    }
}
