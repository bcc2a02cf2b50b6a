package eplua.core.internal.metrics;

/** eplua's loggers ({@link System.Logger}: hosts route them to JUL, SLF4J or Log4j), all under "eplua". */
public final class Logs {
    private Logs() {}

    /** Engines starting and closing, and errors reported to their handlers. */
    public static final System.Logger ENGINE = System.getLogger("eplua.engine");
    /** Modules installed, skipped or refused. */
    public static final System.Logger MODULES = System.getLogger("eplua.modules");
    /** Blocked-loop warnings (DEBUG: they go to the engine's error handler). */
    public static final System.Logger METRICS = System.getLogger("eplua.metrics");
}
