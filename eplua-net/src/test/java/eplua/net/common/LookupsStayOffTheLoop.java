package eplua.net.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static eplua.net.common.Peers.assertWord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host name lookups never block the event loop: while the system lookup of a name hangs, timers keep firing; when it
 * fails, the connect reads "resolve". Names under .invalid fail at once without asking anybody.
 */
class LookupsStayOffTheLoop extends WithLua {
    private static final String SLOW = "slow-lookup.example";
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean lookupOver = new AtomicBoolean();
    private final Lookups.Lookup system = Lookups.lookup;

    @AfterEach
    void restore() {
        Lookups.lookup = system;
        release.countDown();
    }

    @Test
    void timersRunWhileALookupHangsAndItsFailureReadsResolve() throws Exception {
        Lookups.lookup = host -> {
            if (!host.equals(SLOW)) return system.all(host);
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lookupOver.set(true);
            }
            throw new UnknownHostException(host + ": no such name (test)");
        };
        lua.engine.call(() -> {
            lua.engine.globals().set("ENTERED", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    return LuaValue.valueOf(entered.getCount() == 0);
                }
            });
            // true when the lookup was still hanging (so the ticks before it ran while it hung)
            lua.engine.globals().set("RELEASE", new ZeroArgFunction() {
                @Override
                public LuaValue call() {
                    boolean hanging = !lookupOver.get();
                    release.countDown();
                    return LuaValue.valueOf(hanging);
                }
            });
            return null;
        });
        Varargs r = lua.run(String.join("\n",
                "local ticks = 0",
                "local iv = setInterval(function() ticks = ticks + 1 end, 5)",
                "local t = spawn(function() return create_tcp_socket():connect_async('" + SLOW + "', 80) end)",
                "while not ENTERED() do sleep(0.005) end",
                "local t0 = ticks",
                "while ticks < t0 + 10 do sleep(0.005) end",
                "local hanging = RELEASE()",
                "local ok, err = t:await(5000)",
                "clearInterval(iv)",
                "return hanging, ok, err, ticks - t0"));
        assertTrue(r.arg(1).toboolean(), "the timer ticks came only after the lookup had ended: it blocked the loop");
        assertTrue(r.arg(2).isnil(), "connect to an unknown name must fail");
        assertWord("resolve", r.arg(3).tojstring());
        assertTrue(r.arg(4).toint() >= 10);
    }

    @Test
    void invalidNamesFailAtOnceWithoutAskingTheSystem() throws Exception {
        Lookups.lookup = host -> {
            throw new AssertionError("asked the system about " + host);
        };
        assertTrue(Lookups.reserved("nonexistent.invalid"));
        assertTrue(Lookups.reserved("X.INVALID."));
        assertFalse(Lookups.reserved("invalid.example"));
        Varargs r = lua.run("local _, err = create_tcp_socket():connect_async('" + Peers.UNRESOLVABLE + "', 80)\n"
                + "local _, err2 = http.request('http://a.b.invalid/')\nreturn err, err2");
        assertWord("resolve", r.arg(1).tojstring());
        assertWord("resolve", r.arg(2).tojstring());
    }

    @Test
    void addressLiteralsAndLocalhostResolve() throws Exception {
        io.netty.util.concurrent.Future<InetAddress> f = Lookups.resolve(io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE, "127.0.0.1");
        assertTrue(f.isDone(), "a literal needs no lookup");
        assertEquals("127.0.0.1", f.getNow().getHostAddress());
        Varargs r = lua.run("local s = create_tcp_server(); local port = assert(s:listen('localhost', 0))\n"
                + "local c = create_tcp_socket(); local ok, err = c:connect_async('localhost', port)\n"
                + "c:close(); s:close(); return ok, err");
        assertTrue(r.arg(1).toboolean(), "connect to localhost: " + r.arg(2));
    }
}
