package eplua.core;

import eplua.core.internal.task.Fibers;

/**
 * Which threads carry an engine's tasks and coroutines (its fibers). Chosen once, when the engine starts: by
 * {@link Engine.Builder#fiberMode}, else by {@code -Deplua.fibers=carried|virtual|platform}, else the fastest the JVM
 * allows; read back with {@link Engine#fiberMode()}. A mode the JVM cannot give falls back to the next one down, and
 * the reason is logged once per JVM (logger {@code eplua}). All three run the same Lua the same way; they differ in
 * speed and in what they need from the JVM.
 */
public enum FiberMode {
    /**
     * Virtual threads mounted on the engine's own loop thread: a hand-off between Lua and the loop is a continuation
     * switch on one OS thread. The fastest; needs Java 21+ started with
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the eplua jar's manifest carries it).
     */
    CARRIED,
    /** Virtual threads on the JVM's shared scheduler (Java 21+): a hand-off wakes another carrier thread. */
    VIRTUAL,
    /** Daemon platform threads, one per suspended task or coroutine: any Java (Java 17 has only this). */
    PLATFORM;

    /**
     * The mode a new engine gets when its builder names none: the one asked for by {@code -Deplua.fibers} (or the
     * older {@code -Deplua.virtual=false}, {@code -Deplua.carrier=false}), else the fastest this JVM allows.
     */
    public static FiberMode forNewEngines() {
        return Fibers.choose(null, false).mode();
    }
}
