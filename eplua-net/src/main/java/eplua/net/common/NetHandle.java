package eplua.net.common;

/**
 * A socket, server or client a script holds, as the engine's books see it: whether it keeps the engine alive
 * ({@code :ref()}/{@code :unref()}, {@code {system = true}}) and whether it outlives the task that opened it
 * ({@code :detach()}). Lua thread.
 */
public interface NetHandle {
    /** On: it keeps the engine alive while open (the default); off: the engine may go idle and close meanwhile. */
    void keepAlive(boolean on);

    /** It no longer belongs to the task that opened it: cancelling that task leaves it open. */
    void detach();
}
