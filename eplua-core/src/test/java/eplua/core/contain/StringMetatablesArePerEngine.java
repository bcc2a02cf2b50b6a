package eplua.core.contain;

import eplua.core.Engine;
import eplua.core.Profile;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * LuaJ has one string metatable per JVM; each engine here has its own: what one engine (a sandboxed one above all)
 * does to {@code string} or {@code getmetatable("")} changes {@code s:method()} in that engine only.
 */
class StringMetatablesArePerEngine {
    @Test
    void aSandboxCannotChangeStringMethodsOfAnotherEngine() throws Exception {
        try (Engine trusted = Engine.builder().keepJvmAlive(false).build();
             Engine sandbox = Engine.builder().keepJvmAlive(false).profile(Profile.SANDBOX).build()) {
            // the sandbox is made last: LuaJ would have made its string table everybody's
            Varargs mine = sandbox.eval("string.upper = function() return 'pwned' end\n"
                    + "getmetatable('').__index.lower = function() return 'pwned' end\n"
                    + "getmetatable('').__add = function() return 'pwned' end\n"
                    + "return ('x'):upper(), ('X'):lower()", "evil.lua").get(10, TimeUnit.SECONDS);
            assertEquals("pwned", mine.arg(1).tojstring(), "an engine changes its own string methods");
            assertEquals("pwned", mine.arg(2).tojstring());
            Varargs theirs = trusted.eval("return ('x'):upper(), ('X'):lower(), pcall(function() return 'a' + 'b' end)",
                    "victim.lua").get(10, TimeUnit.SECONDS);
            assertEquals("X", theirs.arg(1).tojstring());
            assertEquals("x", theirs.arg(2).tojstring());
            assertFalse(theirs.arg(3).toboolean(), "no __add from the other engine");
        }
    }

    @Test
    void scriptsStillExtendTheirOwnStringMethods() throws Exception {
        try (Engine a = Engine.builder().keepJvmAlive(false).build();
             Engine b = Engine.builder().keepJvmAlive(false).build()) {
            Varargs r = a.eval("function string.shout(s) return s:upper() .. '!' end\n"
                    + "getmetatable('').__mod = function(f, v) return f:format(v) end\n"
                    + "return ('hi'):shout(), '%d items' % 3, getmetatable('').__index == string",
                    "extend.lua").get(10, TimeUnit.SECONDS);
            assertEquals("HI!", r.arg(1).tojstring());
            assertEquals("3 items", r.arg(2).tojstring());
            assertTrue(r.arg(3).toboolean());
            Varargs other = b.eval("return pcall(function() return ('hi'):shout() end)", "other.lua")
                    .get(10, TimeUnit.SECONDS);
            assertFalse(other.arg1().toboolean(), "the other engine's strings have no shout");
        }
    }
}
