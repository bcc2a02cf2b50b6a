package eplua.core.spi;

import io.netty.channel.EventLoop;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * What a {@link LuaModule} sees of the engine it is installed in: its native table and Lua files, the event loop
 * for its Netty channels, resource tracking, the one bridge from Java back into Lua, and value conversion. The
 * context stays valid for the engine's life, so a module keeps it for its resources' callbacks.
 *
 * <p>Threads: "Lua thread" means whoever holds the engine's baton (an exported function, a Netty handler on
 * {@link #eventLoop()}); methods marked "any thread" may be called from anywhere.
 */
public interface ModuleContext {
    /** The id of the module this context belongs to. */
    String moduleId();

    /** The engine's name (thread names, diagnostics). Any thread. */
    String engineName();

    /** This module's native table, {@code _eplua[moduleId]}: Java primitives under documented names. */
    LuaTable exports();

    /** Adds every {@link LuaExport} method of {@code target} to {@link #exports()}. */
    void export(Object target);

    /** Adds one function (or value) to {@link #exports()}. */
    void export(String name, LuaValue value);

    /**
     * Runs a Lua file shipped as a class-path resource of the module (its friendly API). The chunk receives the
     * native table as {@code ...} and is named after the resource, so errors point into it.
     */
    void runLua(String resource) throws Exception;

    /** The engine's Netty event loop: register channels here, so their I/O reaches Lua with no thread hop. */
    EventLoop eventLoop();

    /**
     * Tracks a resource a script opened: it keeps the engine alive unless {@code background}, and {@code closer}
     * (may be null) frees it when the engine closes. {@link Resource#release() Release} it when it is closed.
     * Tracked while a task runs, it belongs to that task: cancelling the task closes it with {@code closer} unless it
     * was released or {@link Resource#detach() detached} first (see {@link Resource} for the ownership rules; a
     * shared resource, such as a connection pool, should be detached at once). Lua thread.
     */
    Resource track(String kind, boolean background, AutoCloseable closer);

    /**
     * Calls {@code fn(args...)} as a new task (so it may await); Java arguments are converted with {@link #toLua},
     * Lua values pass as they are. Errors go to the engine's error handler. Nil {@code fn} or a closed engine: no-op.
     * Any thread.
     */
    void call(LuaValue fn, Object... args);

    /**
     * The callback-style bridge: when {@code future} completes, calls {@code success(value...)} or {@code error(err)}
     * as a new task (either may be nil; {@code err} is the failure's message, or a Lua error's value). Any thread.
     */
    void settle(CompletableFuture<?> future, LuaValue success, LuaValue error);

    /**
     * The task-style bridge: suspends the running task until {@code future} completes and returns
     * {@code translate(value, failure)} (it runs on the Lua thread; a {@link org.luaj.vm2.LuaError} it throws is
     * raised in the task). With {@code timeoutMs > 0} the task resumes with {@code onTimeout} when time runs out.
     * Lua thread, inside a task.
     *
     * <p>Cancellation reaches the operation: when the suspended task is cancelled, the engine wakes it with the
     * cancellation and then calls {@code future.cancel(false)}. A module aborts its operation there, e.g.
     * {@code future.whenComplete((v, e) -> { if (e instanceof CancellationException) abort(); })}, or hands out a
     * {@link CompletableFuture} subclass whose {@code cancel} does it.
     */
    <T> Varargs await(CompletableFuture<T> future, double timeoutMs, Varargs onTimeout,
                      BiFunction<? super T, Throwable, ? extends Varargs> translate);

    /** True until the engine starts closing. Any thread. */
    boolean isRunning();

    /** Reports a failure nobody else will see to the engine's error handler. Any thread. */
    void report(Throwable failure);

    /**
     * A Java value as Lua data the script owns: numbers, strings, booleans as such, Maps and Lists (deeply) as new
     * Lua tables, {@code byte[]} as a Lua string, a {@link CompletableFuture} as an awaitable, any other object as a
     * userdata with its public methods (see {@code eplua.core.convert.LuaConvert#copyToLua}).
     */
    LuaValue toLua(Object value);

    /** A Lua value as Java sees it. */
    Object toJava(LuaValue value);

    /** The bytes of a Lua string (binary-safe), or null for nil. */
    byte[] bytes(LuaValue value);

    /**
     * Refuses a connection the engine's profile does not allow: raises the Lua error {@code "denied: connect to
     * host:port ..."}. Net modules call it before connecting or sending to {@code host} (the name the script gave,
     * before resolution) and {@code port}. Does nothing in the trusted profile. Lua thread.
     */
    void checkConnect(String host, int port);

    /**
     * Refuses a server or a bound socket the engine's profile does not allow: raises the Lua error {@code "denied:
     * listen on host:port ..."}. Net modules call it before binding ({@code port} 0: any free port). Does nothing in
     * the trusted profile. Lua thread.
     */
    void checkListen(String host, int port);
}
