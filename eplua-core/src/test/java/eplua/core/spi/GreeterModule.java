package eplua.core.spi;

import com.google.auto.service.AutoService;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A test module found by ServiceLoader like any third-party one: Java primitives in {@code _eplua.greeter}, the
 * friendly API in {@code eplua/test/greeter.lua}. It requires the core, so it must install after it.
 */
@AutoService(LuaModule.class)
public final class GreeterModule implements LuaModule {
    @Override
    public String id() {
        return "greeter";
    }

    @Override
    public int apiVersion() {
        return API_VERSION;
    }

    @Override
    public Set<String> requires() {
        return Set.of("core");
    }

    @Override
    public void install(ModuleContext ctx) throws Exception {
        ctx.export(new Primitives());
        ctx.runLua("eplua/test/greeter.lua");
    }

    /** Exported with @LuaExport: each parameter and return type the adapter supports. */
    public static final class Primitives {
        @LuaExport("hello")
        public String hello(String name) {
            return "hello, " + name;
        }

        @LuaExport
        public int add(int a, int b) {
            return a + b;
        }

        @LuaExport("bytes_len")
        public int bytesLen(byte[] data) {
            return data.length;
        }

        @LuaExport("pair")
        public Varargs pair(LuaValue a, LuaValue b) {
            return LuaValue.varargsOf(b, a);
        }

        @LuaExport("shape")
        public Map<String, Object> shape() {
            return Map.of("list", List.of(1, 2, 3), "name", "x");
        }

        @LuaExport("later")
        public CompletableFuture<String> later(String v) {
            CompletableFuture<String> f = new CompletableFuture<>();
            new Thread(() -> f.complete(v + "!")).start();
            return f;
        }

        @LuaExport("twice")
        public static int twice(int x) {
            return 2 * x;
        }

        @LuaExport("fail")
        public void fail(String why) throws java.io.IOException {
            throw new java.io.IOException(why);
        }
    }
}
