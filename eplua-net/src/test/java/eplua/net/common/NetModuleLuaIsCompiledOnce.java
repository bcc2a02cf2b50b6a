package eplua.net.common;

import eplua.core.Engine;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The network modules' Lua files are compiled once per JVM: two engines' functions from tcp.lua share one Prototype,
 * and net.lua, run by every network module with its own native table, gives each module its own closures.
 */
class NetModuleLuaIsCompiledOnce {
    @Test
    void enginesShareTheCompiledFilesAndModulesKeepTheirOwnClosures() throws Exception {
        try (Engine a = Engine.builder().keepJvmAlive(false).build();
             Engine b = Engine.builder().keepJvmAlive(false).build()) {
            LuaClosure ta = closure(a, "return net.TCPSocket"), tb = closure(b, "return net.TCPSocket");
            assertNotSame(ta, tb);
            assertSame(ta.p, tb.p, "tcp.lua compiled once");
            // net.lua ran once per module, with that module's native table: one Prototype, a closure per module
            LuaClosure tcp = closure(a, "return _eplua.tcp.lifetime"), udp = closure(a, "return _eplua.udp.lifetime");
            assertNotSame(tcp, udp);
            assertSame(tcp.p, udp.p, "net.lua compiled once");
            // and a socket made in each engine works, each with its own engine's state
            assertEquals("tcp", a.eval("local s = net.TCPSocket() s:close() return 'tcp'", "t.lua")
                    .get(5, TimeUnit.SECONDS).arg1().tojstring());
            assertEquals("tcp", b.eval("local s = net.TCPSocket() s:close() return 'tcp'", "t.lua")
                    .get(5, TimeUnit.SECONDS).arg1().tojstring());
        }
    }

    private static LuaClosure closure(Engine e, String script) throws Exception {
        LuaValue v = e.eval(script, "t.lua").get(5, TimeUnit.SECONDS).arg1();
        assertInstanceOf(LuaClosure.class, v, script);
        return (LuaClosure) v;
    }
}
