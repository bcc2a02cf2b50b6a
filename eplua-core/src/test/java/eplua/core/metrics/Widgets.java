package eplua.core.metrics;

import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

import java.util.HashMap;
import java.util.Map;

/** A test module of plain tracked resources: {@code _eplua.widgets.open(kind) -> id}, {@code close(id)}. */
final class Widgets implements LuaModule {
    private final Map<Long, Resource> open = new HashMap<>();

    @Override
    public String id() {
        return "widgets";
    }

    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    @Override
    public void install(ModuleContext ctx) {
        ctx.export("open", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue kind) {
                Resource r = ctx.track(kind.checkjstring(), true, null);
                open.put(r.id(), r);
                return LuaValue.valueOf(r.id());
            }
        });
        ctx.export("close", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue id) {
                open.remove(id.checklong()).release();
                return LuaValue.NONE;
            }
        });
    }
}
