package eplua.core.internal.module;

import eplua.core.convert.LuaConvert;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import io.netty.channel.EventLoop;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** The {@link ModuleContext} one module gets: a window on its engine through {@link ModuleHost}. */
final class EngineModuleContext implements ModuleContext {
    private final ModuleHost host;
    private final LuaModule module;
    private final LuaTable exports;

    EngineModuleContext(ModuleHost host, LuaModule module, LuaTable exports) {
        this.host = host;
        this.module = module;
        this.exports = exports;
    }

    @Override
    public String moduleId() {
        return module.id();
    }

    @Override
    public String engineName() {
        return host.name();
    }

    @Override
    public LuaTable exports() {
        return exports;
    }

    @Override
    public void export(Object target) {
        for (Map.Entry<String, LuaFunction> e : Exports.of(target).entrySet()) exports.set(e.getKey(), e.getValue());
    }

    @Override
    public void export(String name, LuaValue value) {
        exports.set(name, value);
    }

    @Override
    public void runLua(String resource) throws Exception {
        LuaValue chunk = CompiledFiles.load(module.getClass().getClassLoader(), resource, host.globals());
        if (chunk == null) throw new IllegalStateException("module '" + module.id() + "': no resource " + resource);
        chunk.call(exports);
    }

    @Override
    public EventLoop eventLoop() {
        return host.eventLoop();
    }

    @Override
    public Resource track(String kind, boolean background, AutoCloseable closer) {
        host.scheduler().checkBaton();
        // owned by the running task (cancelling it closes the resource), by none outside tasks
        return host.registry().register(kind, background, closer, host.scheduler().currentOwner());
    }

    @Override
    public void call(LuaValue fn, Object... args) {
        host.bridge().call(fn, args);
    }

    @Override
    public void settle(CompletableFuture<?> future, LuaValue success, LuaValue error) {
        host.bridge().settle(future, success, error);
    }

    @Override
    public <T> Varargs await(CompletableFuture<T> future, double timeoutMs, Varargs onTimeout,
                             BiFunction<? super T, Throwable, ? extends Varargs> translate) {
        return host.scheduler().await(future, timeoutMs, onTimeout, translate::apply);
    }

    @Override
    public boolean isRunning() {
        return host.isRunning();
    }

    @Override
    public void report(Throwable failure) {
        host.report(failure);
    }

    @Override
    public LuaValue toLua(Object value) {
        return LuaConvert.copyToLua(value);
    }

    @Override
    public Object toJava(LuaValue value) {
        return LuaConvert.toJava(value);
    }

    @Override
    public byte[] bytes(LuaValue value) {
        return value == null || value.isnil() ? null : LuaConvert.toBytes(value);
    }

    @Override
    public void checkConnect(String hostName, int port) {
        host.policy().checkConnect(hostName, port);
    }

    @Override
    public void checkListen(String hostName, int port) {
        host.policy().checkListen(hostName, port);
    }
}
