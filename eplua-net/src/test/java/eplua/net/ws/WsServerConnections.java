package eplua.net.ws;

import eplua.net.http.TestSupport;
import org.luaj.vm2.LuaValue;

/** Test access to a WebSocket server's open connections (upgraded or not), by the Lua global holding the server. */
public final class WsServerConnections {
    private WsServerConnections() {}

    public static int count(TestSupport.Lua lua, String global) {
        return lua.engine.call(() -> {
            LuaValue srv = lua.engine.globals().get(global).get("_s");
            return ((WsServerImpl) srv.touserdata()).connections();
        });
    }
}
