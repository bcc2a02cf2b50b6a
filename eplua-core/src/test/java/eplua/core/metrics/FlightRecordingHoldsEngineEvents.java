package eplua.core.metrics;

import eplua.core.Engine;
import eplua.core.FiberMode;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FlightRecordingHoldsEngineEvents {
    @Test
    void slowCallbacksLoopLagAndTaskCountsAreRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("eplua.jfr");
        FiberMode mode;
        try (Recording rec = new Recording()) {
            rec.enable("eplua.SlowCallback");
            rec.enable("eplua.LoopLag");
            rec.enable("eplua.TaskCounts");
            rec.start();
            try (Engine e = Engine.builder().name("jfr-engine").build()) {
                mode = e.fiberMode();
                e.eval("for i = 1, 5 do spawn(function() end) end\n"
                        + "setTimeout(function()\n" // line 2
                        + "  local t = os.clock() while os.clock() - t < 0.25 do end\n"
                        + "end, 0)\n"
                        + "sleep(1.3)", "jfr.lua").get(); // long enough for a task-count event (every second)
                assertTrue(e.awaitIdle(Duration.ofSeconds(10)));
            }
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        // (on a loaded machine another turn may pass 50 ms too: count only the busy one)
        List<RecordedEvent> slow = of(events, "eplua.SlowCallback").stream()
                .filter(x -> "jfr.lua:2".equals(x.getString("where"))).toList();
        assertEquals(1, slow.size(), slow::toString);
        assertTrue(slow.get(0).getDuration("held").toMillis() >= 240, slow::toString);
        List<RecordedEvent> lag = of(events, "eplua.LoopLag");
        assertTrue(lag.size() >= 5, "a lag sample every 100 ms: " + lag.size());
        // a probe falls due in the first 100 ms of the 250 ms callback: it runs at least 150 ms late. (Not asserted
        // for fibers carried by the loop thread: there JFR drops the event the loop thread commits right after a
        // carried fiber ran, seen on Java 25; Engine.metrics() has that sample, see EngineMetricsTest.)
        if (mode != FiberMode.CARRIED)
            assertTrue(lag.stream().anyMatch(x -> x.getDuration("lag").toMillis() >= 100), "the slow callback as lag");
        List<RecordedEvent> counts = of(events, "eplua.TaskCounts");
        assertFalse(counts.isEmpty());
        assertTrue(counts.stream().mapToLong(x -> x.getLong("started")).sum() >= 7,
                "the chunk, 5 tasks and the timer callback started: " + counts);
    }

    private static List<RecordedEvent> of(List<RecordedEvent> all, String type) {
        return all.stream().filter(x -> x.getEventType().getName().equals(type))
                .filter(x -> "jfr-engine".equals(x.getString("engine"))).toList();
    }
}
