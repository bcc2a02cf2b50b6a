package eplua.net.mqtt;

import eplua.core.testing.DevScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs the Lua-level MQTT tests in {@code dev/tests/mqtt/*.lua} against one private mosquitto broker; each script
 * gets the broker's port as the global {@code MQTT_PORT} (and {@code MQTT_URL}).
 */
class MqttDevScriptsTest {
    private static Mosquitto broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws Exception {
        Path root = DevScripts.root();
        Path dir = root.resolve("dev/tests/mqtt");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".lua")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no Lua tests in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> {
            String name = root.relativize(f).toString().replace('\\', '/');
            LuaRun.run(name, Map.of("MQTT_PORT", broker.port(), "MQTT_URL", "mqtt://127.0.0.1:" + broker.port()),
                    Files.readString(f, StandardCharsets.UTF_8));
        }));
    }
}
