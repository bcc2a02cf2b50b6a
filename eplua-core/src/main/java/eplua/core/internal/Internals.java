package eplua.core.internal;

import eplua.core.Engine;
import eplua.core.internal.engine.EngineParts;

import java.util.function.Function;

/**
 * The way from an {@link Engine} to its parts, for tests, benchmarks and eplua's own tools (not for hosts or
 * modules): the engine hands this class the key when its class initializes, as the JDK's SharedSecrets do.
 */
public final class Internals {
    private static volatile Function<Engine, EngineParts> parts;

    private Internals() {}

    /** Called once, by {@link Engine}'s class initializer. */
    public static void grant(Function<Engine, EngineParts> access) {
        if (parts != null) throw new IllegalStateException("already granted");
        parts = access;
    }

    /** The parts of {@code engine}. */
    public static EngineParts of(Engine engine) {
        return parts.apply(engine);
    }
}
