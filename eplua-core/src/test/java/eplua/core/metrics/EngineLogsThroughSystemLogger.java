package eplua.core.metrics;

import eplua.core.Engine;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

/** System.Logger's default backend is java.util.logging: a handler on "eplua" sees every eplua logger. */
class EngineLogsThroughSystemLogger {
    private final Logger eplua = Logger.getLogger("eplua"); // held: JUL keeps loggers weakly
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level saved;

    @BeforeEach
    void listen() {
        saved = eplua.getLevel();
        eplua.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        eplua.addHandler(handler);
    }

    @AfterEach
    void stop() {
        eplua.removeHandler(handler);
        eplua.setLevel(saved);
    }

    private List<String> messages(String logger, Level level, String engine) {
        return records.stream().filter(r -> r.getLoggerName().equals(logger) && r.getLevel().equals(level))
                .map(LogRecord::getMessage).filter(m -> m.contains(engine)).toList();
    }

    static final class Refused implements LuaModule {
        @Override
        public String id() {
            return "refused_one";
        }

        @Override
        public int apiVersion() {
            return 999;
        }

        @Override
        public void install(ModuleContext context) {}
    }

    static final class Failing implements LuaModule {
        @Override
        public String id() {
            return "failing_one";
        }

        @Override
        public int apiVersion() {
            return API_VERSION;
        }

        @Override
        public void install(ModuleContext context) {
            throw new IllegalStateException("no luck");
        }
    }

    @Test
    void startModulesAndCloseAreLoggedAtDebug() {
        try (Engine e = Engine.builder().name("logged-start").build()) {
            assertEquals(1, messages("eplua.engine", Level.FINE, "logged-start").stream()
                    .filter(m -> m.contains("started, fiber mode " + e.fiberMode())).count());
            assertTrue(messages("eplua.modules", Level.FINE, "logged-start").stream()
                    .anyMatch(m -> m.contains("installed modules [core")));
            assertTrue(messages("eplua.engine", Level.FINE, "closing").isEmpty());
        }
        assertEquals(1, records.stream()
                .filter(r -> r.getMessage().equals("eplua: engine logged-start closing")).count());
    }

    @Test
    void refusedAndFailedModulesAreWarningsAndStillOnTheErrorWriter() {
        StringWriter err = new StringWriter();
        try (Engine e = Engine.builder().name("logged-modules").errorOutput(err)
                .modules(List.of(new Refused(), new Failing())).build()) {
            List<String> warnings = records.stream()
                    .filter(r -> r.getLoggerName().equals("eplua.modules") && r.getLevel().equals(Level.WARNING))
                    .map(LogRecord::getMessage).toList();
            assertTrue(warnings.stream().anyMatch(m -> m.contains("'refused_one'") && m.contains("refused")),
                    warnings::toString);
            assertTrue(warnings.stream().anyMatch(m -> m.contains("'failing_one'") && m.contains("no luck")),
                    warnings::toString);
            assertTrue(err.toString().contains("'refused_one'"));
            assertTrue(err.toString().contains("'failing_one'"));
            assertFalse(e.modules().contains("failing_one"));
        }
    }

    @Test
    void reportedErrorsAreLoggedAtDebugOnly() throws Exception {
        StringWriter err = new StringWriter();
        try (Engine e = Engine.builder().name("logged-errors").errorOutput(err).build()) {
            e.eval("setTimeout(function() error('boom-7') end, 0)", "err.lua").get();
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)));
            List<LogRecord> errs = records.stream().filter(r -> r.getMessage().contains("boom-7")).toList();
            assertEquals(1, errs.size(), errs::toString);
            assertEquals(Level.FINE, errs.get(0).getLevel());
            assertEquals("eplua.engine", errs.get(0).getLoggerName());
            assertTrue(err.toString().contains("boom-7"), "the error writer still has it");
        }
    }
}
