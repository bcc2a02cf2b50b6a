package eplua.core;

import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test module like a network one, in {@code _eplua.probe}: it tracks resources for the running task (their closers
 * note that they ran) and suspends tasks on futures (noting when one is cancelled). Given to an engine explicitly.
 */
final class ProbeModule implements LuaModule {
    final List<String> closed = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<String>> futures = new ConcurrentHashMap<>();
    final Map<String, Resource> resources = new ConcurrentHashMap<>();
    final List<String> aborted = new CopyOnWriteArrayList<>();
    ModuleContext ctx;

    @Override
    public String id() {
        return "probe";
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
    public void install(ModuleContext ctx) {
        this.ctx = ctx;
        ctx.export(this);
    }

    @LuaExport("open")
    public void open(String name) {
        resources.put(name, ctx.track("probe", false, () -> closed.add(name)));
    }

    @LuaExport("detach")
    public void detach(String name) {
        resources.get(name).detach();
    }

    /** The resource was closed by its owner: it leaves the books. */
    @LuaExport("release")
    public void release(String name) {
        resources.get(name).release();
    }

    /** Suspends the task on a future, as a module's awaiting call does; notes when the future is cancelled. */
    @LuaExport("wait")
    public Varargs waitFor(String name) {
        CompletableFuture<String> f = future(name);
        return ctx.await(f, 0, null, (v, e) -> LuaValue.valueOf(String.valueOf(v)));
    }

    /** A future handed to Lua as it is, for the core's own await/try_await. */
    @LuaExport("future")
    public CompletableFuture<String> future(String name) {
        CompletableFuture<String> f = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e instanceof CancellationException) aborted.add(name);
        });
        futures.put(name, f);
        return f;
    }
}
