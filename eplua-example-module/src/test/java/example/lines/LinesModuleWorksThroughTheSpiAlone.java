package example.lines;

import eplua.core.Engine;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A module written as a third party would, found by ServiceLoader, working through the SPI package alone. */
class LinesModuleWorksThroughTheSpiAlone {
    @Test
    void exportedFunctionIsCallableFromLua() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            assertTrue(e.modules().contains("lines"), e.modules().toString());
            Varargs r = e.eval("return lines.count('a,b,c', ','), pcall(lines.count, 'x', '')", "count.lua")
                    .get(5, TimeUnit.SECONDS);
            assertEquals(3, r.arg(1).toint());
            assertFalse(r.arg(2).toboolean());
            assertTrue(r.arg(3).tojstring().contains("empty separator"), r.arg(3).tojstring());
        }
    }

    @Test
    void nettyResourceKeepsTheEngineAliveUntilClosed() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            int port = e.eval("got = {}\n"
                    + "server = lines.listen(0, function(line)\n"
                    + "  got[#got + 1] = line\n"
                    + "  if line == 'bye' then server.close() end\n"
                    + "end)\n"
                    + "return server.port", "listen.lua").get(5, TimeUnit.SECONDS).toint(1);
            assertFalse(e.awaitIdle(Duration.ofMillis(200)), "an open listener keeps the engine alive");
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write("hello\nbinary \u00ff\nbye\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertTrue(e.awaitIdle(Duration.ofSeconds(5)), "closed from Lua: the engine may go idle");
            }
            Varargs r = e.eval("return #got, got[1], #got[2], got[3]", "check.lua").get(5, TimeUnit.SECONDS);
            assertEquals(3, r.arg(1).toint());
            assertEquals("hello", r.arg(2).tojstring());
            assertEquals(8, r.arg(3).toint(), "lines arrive as bytes");
            assertEquals("bye", r.arg(4).tojstring());
        }
    }

    @Test
    void listenerLeftOpenIsClosedWithTheEngine() throws Exception {
        int port;
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            port = e.eval("return lines.listen(0, function() end).port", "open.lua").get(5, TimeUnit.SECONDS).toint(1);
            new Socket("127.0.0.1", port).close(); // it listens
        }
        assertThrows(java.net.ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                "close() of the engine closes the module's resources");
    }

    @Test
    void callbackSettledFromAnotherThreadRunsInLua() throws Exception {
        try (Engine e = Engine.builder().keepJvmAlive(false).build()) {
            e.eval("lines.later(20, 'cb', { success = function(v) result = v end })\n"
                    + "task_result = lines.later_async(10, 'task')", "later.lua").get(5, TimeUnit.SECONDS);
            assertTrue(e.awaitIdle(Duration.ofSeconds(5)), "the pending callback kept the engine alive until it ran");
            Varargs r = e.eval("return result, task_result", "check.lua").get(5, TimeUnit.SECONDS);
            assertEquals("cb from lines-worker", r.arg(1).tojstring());
            assertEquals("task from lines-worker", r.arg(2).tojstring());
        }
    }

    @Test
    void moduleClassesReferenceOnlyTheSpiPackageOfTheCore() throws Exception {
        Path classes = Paths.get(LinesModule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Pattern core = Pattern.compile("eplua/core/[A-Za-z/$]+");
        List<String> offending = new ArrayList<>();
        int spiRefs = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                Matcher m = core.matcher(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    if (m.group().startsWith("eplua/core/spi/")) spiRefs++;
                    else offending.add(p.getFileName() + ": " + m.group());
                }
            }
        }
        assertTrue(spiRefs > 0, "the check must see the SPI references it allows");
        assertEquals(List.of(), offending, "a module sees the core through eplua.core.spi only");
    }
}
