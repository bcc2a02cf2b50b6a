package eplua.net.common;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collects what Netty logs at WARNING or above (a stack trace on stderr, outside tests) between start and stop. */
public final class NettyWarnings extends Handler {
    private static final Logger NETTY = Logger.getLogger("io.netty");
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();

    /** Starts collecting; Netty must log through java.util.logging for that (it does here: no SLF4J binding). */
    public static NettyWarnings start() {
        assertTrue(InternalLoggerFactory.getDefaultFactory() instanceof JdkLoggerFactory, "Netty logs through JUL here");
        NettyWarnings w = new NettyWarnings();
        NETTY.addHandler(w);
        return w;
    }

    /** Stops collecting and fails if anything was logged. */
    public void assertNone() {
        NETTY.removeHandler(this);
        assertTrue(logged.isEmpty(), "Netty logged: " + logged.stream().map(r -> r.getMessage() + " " + r.getThrown()).toList());
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) logged.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
