package eplua.core.spi;

/**
 * A resource a module opened for a script (socket, server, client, request), tracked by the engine through
 * {@link ModuleContext#track}: it keeps the engine alive unless unref'd, and the engine closes it when it closes.
 * Methods are called on the engine's Lua thread.
 */
public interface Resource {
    /** A unique id within the engine. */
    long id();

    /** What kind of resource this is ("tcp", "http-server", ...), for diagnostics. */
    String kind();

    /** Whether it keeps the engine alive (Node's {@code ref}/{@code unref}); a released one ignores this. */
    void keepAlive(boolean keepAlive);

    /** True while it keeps the engine alive. */
    boolean keepsAlive();

    /** Leaves the engine's books (idempotent): call it when the resource is closed. Does not close it. */
    void release();

    boolean isReleased();

    /**
     * Makes the resource outlive the task that opened it: cancelling that task no longer closes it. (Placeholder
     * in the lc-net branch until the core's structured cancellation lands; the core's definition wins the merge.)
     */
    default void detach() {
    }
}
