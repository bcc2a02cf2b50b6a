package eplua.net.common;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;

/**
 * The "net" module: what the other network modules' Lua files share, installed before them. Primitives in
 * {@code _eplua.net}: {@code keep_alive(handle, on)} and {@code detach(handle)} on any {@link NetHandle}; its Lua
 * file {@code eplua/net/net.lua} adds {@code :ref()}, {@code :unref()} and {@code :detach()} to the modules' classes
 * and makes {@code require("net")} work.
 */
@AutoService(LuaModule.class)
public final class NetCommonModule extends NetModule {
    /** The id the other network modules require. */
    public static final String ID = "net";

    public NetCommonModule() {
        super(ID, "eplua/net/net.lua");
    }

    @LuaExport("keep_alive")
    public void keepAlive(Object h, boolean on) {
        handle(h, NetHandle.class, "socket, server or client").keepAlive(on);
    }

    @LuaExport("detach")
    public void detach(Object h) {
        handle(h, NetHandle.class, "socket, server or client").detach();
    }
}
