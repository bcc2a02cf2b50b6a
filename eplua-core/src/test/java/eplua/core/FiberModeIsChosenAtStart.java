package eplua.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.luaj.vm2.Varargs;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An engine's fiber mode is chosen when it starts: by the builder, else by {@code -Deplua.fibers} (or the older
 * {@code eplua.virtual=false} / {@code eplua.carrier=false}), else the fastest the JVM allows. One the JVM cannot give
 * falls back to the next one down, and the reason is logged once per JVM. The property cases run in child JVMs, so
 * that each starts with nothing logged yet.
 */
class FiberModeIsChosenAtStart {
    private static final boolean JAVA21 = Runtime.version().feature() >= 21;
    private static final String NO_VIRTUAL = "Java " + Runtime.version().feature() + ": no virtual threads";
    private static final String NO_OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED missing";

    /** What a child JVM printed: its mode lines on stdout, and the eplua log lines on stderr. */
    private record Child(List<String> out, List<String> logged) {
        void assertModes(String mode) {
            assertEquals(List.of("new " + mode, "engine " + mode + " 42", "engine " + mode + " 42"), out,
                    "logged: " + logged);
        }

        void assertLoggedOnce(String... parts) {
            assertEquals(1, logged.size(), "one log line per JVM: " + logged);
            for (String p : parts) assertTrue(logged.get(0).contains(p), logged.get(0));
        }

        void assertNothingLogged() {
            assertEquals(List.of(), logged);
        }
    }

    private static Child child(boolean opens, String asked, String... props) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java"));
        if (opens) cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        cmd.addAll(Arrays.asList(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FiberModeMain.class.getName()));
        if (asked != null) cmd.add(asked);
        Process p = new ProcessBuilder(cmd).start();
        try {
            p.getOutputStream().close();
            byte[] err = p.getErrorStream().readAllBytes();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not end");
            String errText = new String(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), errText);
            List<String> logged = errText.lines().filter(l -> l.contains("eplua: ")).collect(Collectors.toList());
            return new Child(new String(out, StandardCharsets.UTF_8).lines().collect(Collectors.toList()), logged);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theFastestByDefault() throws Exception {
        Child c = child(true, null);
        if (JAVA21) {
            c.assertModes("CARRIED");
            c.assertNothingLogged();
        } else {
            c.assertModes("PLATFORM");
            c.assertLoggedOnce("INFO", "fiber mode platform", NO_VIRTUAL);
        }
    }

    @Test
    void withoutAddOpensTheSlowerModeIsLoggedOnceWithTheReason() throws Exception {
        Child c = child(false, null);
        c.assertModes(JAVA21 ? "VIRTUAL" : "PLATFORM");
        if (JAVA21) c.assertLoggedOnce("INFO", "fiber mode virtual", NO_OPENS);
        else c.assertLoggedOnce("INFO", "fiber mode platform", NO_VIRTUAL);
    }

    @Test
    void thePropertyChooses() throws Exception {
        Child platform = child(true, null, "-Deplua.fibers=platform");
        platform.assertModes("PLATFORM");
        platform.assertNothingLogged();
        Child virtual = child(true, null, "-Deplua.fibers=Virtual");
        virtual.assertModes(JAVA21 ? "VIRTUAL" : "PLATFORM");
        if (JAVA21) virtual.assertNothingLogged();
        else virtual.assertLoggedOnce("WARNING", "fiber mode virtual is not available", NO_VIRTUAL);
    }

    @Test
    void theOlderPropertiesStillWork() throws Exception {
        Child noVirtual = child(true, null, "-Deplua.virtual=false");
        noVirtual.assertModes("PLATFORM");
        noVirtual.assertNothingLogged();
        Child noCarrier = child(true, null, "-Deplua.carrier=false");
        noCarrier.assertModes(JAVA21 ? "VIRTUAL" : "PLATFORM");
    }

    @Test
    void anUnknownPropertyValueIsReportedAndIgnored() throws Exception {
        Child c = child(true, null, "-Deplua.fibers=bogus", "-Deplua.virtual=false");
        c.assertModes("PLATFORM"); // the next property down still counts
        c.assertLoggedOnce("WARNING", "ignoring -Deplua.fibers=bogus");
    }

    @Test
    void theBuilderWinsOverTheProperty() throws Exception {
        Child c = child(true, "VIRTUAL", "-Deplua.fibers=platform");
        String got = JAVA21 ? "VIRTUAL" : "PLATFORM";
        // the builder's engines get its mode; one that names none would still get the property's
        assertEquals(List.of("new PLATFORM", "engine " + got + " 42", "engine " + got + " 42"), c.out());
    }

    @Test
    void anImpossibleRequestFallsBackWithAWarning() throws Exception {
        Child c = child(false, "CARRIED");
        String got = JAVA21 ? "virtual" : "platform";
        assertEquals("engine " + got.toUpperCase() + " 42", c.out().get(1));
        c.assertLoggedOnce("WARNING", "fiber mode carried is not available", JAVA21 ? NO_OPENS : NO_VIRTUAL,
                "engines use " + got);
    }

    /** Every mode the JVM has runs tasks, coroutines, awaits and timers the same. */
    @ParameterizedTest
    @EnumSource(FiberMode.class)
    void everyModeRunsTheSameLua(FiberMode mode) throws Exception {
        assumeTrue(eplua.core.internal.task.Fibers.choose(mode, false).mode() == mode, mode + " not on this JVM");
        try (Engine e = Engine.builder().keepJvmAlive(false).fiberMode(mode).build()) {
            assertEquals(mode, e.fiberMode());
            Varargs v = e.eval("local tasks = {}\n"
                    + "for i = 1, 50 do tasks[i] = spawn(function() sleep(0.001 * (i % 3)) return i end) end\n"
                    + "local sum = 0\n"
                    + "for i = 1, 50 do sum = sum + await(tasks[i]) end\n"
                    + "local co = coroutine.wrap(function() for i = 1, 3 do sleep(0) coroutine.yield(i) end end)\n"
                    + "local fired = false\n"
                    + "setTimeout(function() fired = true end, 1)\n"
                    + "sleep(0.01)\n"
                    + "return sum, co() + co() + co(), fired", "modes.lua").get(10, TimeUnit.SECONDS);
            assertEquals(1275, v.arg1().toint());
            assertEquals(6, v.arg(2).toint());
            assertTrue(v.arg(3).toboolean());
        }
    }
}
