package eplua.net.common;

/**
 * A socket, server or client a script holds, as the engine's books see it: whether it keeps the engine alive
 * ({@code :ref()}/{@code :unref()}, {@code {system = true}}) and whether it outlives the task that opened it
 * ({@code :detach()}), both kept by its {@link Lifetime}. Lua thread.
 */
public interface NetHandle {
    /** Its book entry and what the script asked of it. */
    Lifetime lifetime();

    /** On: it keeps the engine alive while open (the default); off: the engine may go idle and close meanwhile. */
    default void keepAlive(boolean on) {
        lifetime().keepAlive(on);
    }

    /**
     * Closes it (idempotent): what waits on it fails with "closed"; a server closes its connections too. Lua thread.
     */
    void close();

    /** It no longer belongs to the task that opened it: cancelling that task leaves it open. */
    default void detach() {
        lifetime().detach();
    }
}
