package eplua.core.spi;

/**
 * A resource a module opened for a script (socket, server, client, request), tracked by the engine through
 * {@link ModuleContext#track}: it keeps the engine alive unless unref'd, and the engine closes it when it closes.
 * Methods are called on the engine's Lua thread.
 *
 * <p><b>Ownership.</b> A resource tracked while a task runs belongs to that task (the running task at track time;
 * tracked outside any task, from a Netty handler on the loop say, it belongs to none):
 * <ul>
 * <li>when the task is <em>cancelled</em> ({@code task:cancel()}, a cancelled parent, or engine shutdown after its
 * grace period), every resource it still owns that is not released is closed by its closer, then released;
 * <li>when the task ends normally or with an error, its resources stay open and belong to no task any more (a task
 * that starts a server and returns leaves the server running);
 * <li>{@link #detach()} makes a resource outlive its task at once: a shared thing a task merely happened to open
 * first (a connection pool), or a handle the script asks to keep.
 * </ul>
 * Whatever is still registered when the engine closes is closed then, owned or not.
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

    /**
     * The resource no longer belongs to any task: cancelling the task that opened it leaves it open (idempotent). The
     * engine still closes it when it closes.
     */
    void detach();

    /** Leaves the engine's books (idempotent): call it when the resource is closed. Does not close it. */
    void release();

    boolean isReleased();
}
