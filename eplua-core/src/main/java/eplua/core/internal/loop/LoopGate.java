package eplua.core.internal.loop;

/**
 * What the loop thread does around its blocking wait for I/O: it gives the engine's baton up before it blocks, so
 * that a host thread may run Lua at once while the engine is idle (the javax.script fast path), and takes it back
 * when it wakes, before it runs any handler or task.
 */
public interface LoopGate {
    /** Loop thread, holding the baton, about to block in its selector. */
    void beforeBlock();

    /** Loop thread, back from its selector: returns once it holds the baton again. A no-op unless it gave it up. */
    void afterBlock();
}
