package eplua.net.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MQTT client against real mosquitto brokers, with the mosquitto command-line clients as the other party:
 * retained messages, messages from mosquitto_pub, credentials, broker restart with reconnect, TLS.
 */
class MqttBrokerTest {
    private static Map<String, Object> globals(Mosquitto b) {
        return Map.of("MQTT_PORT", b.port(), "MQTT_URL", "mqtt://127.0.0.1:" + b.port());
    }

    @Test
    void retainedMessageSeenByMosquittoSub() throws Exception {
        try (Mosquitto b = Mosquitto.start()) {
            LuaRun.run("retained.lua", globals(b), String.join("\n",
                    "local c = assert(mqtt.connect_async(MQTT_URL))",
                    "T.ok(c:publish_async('ret/state', 'on-42', { qos = 1, retain = true }))",
                    "c:disconnect_async()"));
            // a subscriber that connects afterwards gets the retained message
            String out = b.sub("-t", "ret/state", "-C", "1", "-W", "5");
            assertEquals("on-42", out.trim());
        }
    }

    @Test
    void messageFromMosquittoPubDeliveredToLua() throws Exception {
        try (Mosquitto b = Mosquitto.start(); LuaRun run = new LuaRun("from_pub.lua", globals(b))) {
            run.start(String.join("\n",
                    "local c = assert(mqtt.connect_async(MQTT_URL))",
                    "T.same(c:subscribe_async('cli/#', { qos = 2 }), { 2 })",
                    "await(HOST('subscribed'))",
                    "for q = 0, 2 do",
                    "  local m, err = c:next_message_async(5000)",
                    "  T.ok(m, err)",
                    "  T.eq(m.topic, 'cli/x' .. q)",
                    "  T.eq(m.payload, 'hello ' .. q)",
                    "  T.eq(m.qos, q)",
                    "end",
                    "c:disconnect_async()"));
            LuaRun.Request r = run.next("subscribed");
            for (int q = 0; q <= 2; q++) b.pub("-t", "cli/x" + q, "-m", "hello " + q, "-q", String.valueOf(q));
            r.reply(true);
            run.finish(Duration.ofSeconds(20));
        }
    }

    @Test
    void credentialsRequiredByBroker() throws Exception {
        try (Mosquitto b = Mosquitto.start(new Mosquitto.Config().auth("alice", "s3cret"))) {
            LuaRun.run("auth.lua", globals(b), String.join("\n",
                    "local c, err = mqtt.connect_async(MQTT_URL, { username = 'alice', password = 's3cret' })",
                    "T.ok(c, err)",
                    "T.same(c:subscribe_async('auth/t', { qos = 1 }), { 1 })",
                    "c:publish_async('auth/t', 'x', { qos = 1 })",
                    "T.eq(c:next_message_async(5000).payload, 'x')",
                    "c:disconnect_async()",
                    "local bad, why = mqtt.connect_async(MQTT_URL, { username = 'alice', password = 'wrong' })",
                    "T.eq(bad, nil)",
                    "T.ok(why:match('^refused: '), why)",
                    "local anon, why2 = mqtt.connect_async(MQTT_URL)",
                    "T.eq(anon, nil)",
                    "T.ok(why2:match('^refused: '), why2)",
                    "local code = T.expect(1, 'callback code')",
                    "mqtt.Client.connect(MQTT_URL, { username = 'alice', password = 'no', callback = function(c, msg)",
                    "  T.ok(c == 4 or c == 5, 'CONNACK code, got ' .. tostring(c) .. ' ' .. tostring(msg))",
                    "  code()",
                    "end })"));
        }
    }

    @Test
    void reconnectsAfterBrokerRestart() throws Exception {
        try (Mosquitto b = Mosquitto.start(); LuaRun run = new LuaRun("restart.lua", globals(b))) {
            run.start(String.join("\n",
                    "local closed, reconnected = T.expect(1, 'closed'), T.expect(1, 'reconnected')",
                    "local c = assert(mqtt.connect_async(MQTT_URL, { clientId = 'phoenix',",
                    "  reconnect = { initialDelay = 50, maxDelay = 400 } }))",
                    "c:addEventListener('closed', function(e)",
                    "  if e.reason ~= 'disconnect' then T.ok(e.reason:match('^closed'), e.reason); closed() end",
                    "end)",
                    "c:addEventListener('connected', function(e) T.eq(e.reconnected, true); reconnected() end)",
                    "T.same(c:subscribe_async('phx/t', { qos = 1 }), { 1 })",
                    "T.ok(c:publish_async('phx/t', 'before', { qos = 1 }))",
                    "T.eq(c:next_message_async(5000).payload, 'before')",
                    "await(HOST('restart'))",
                    // sent while reconnecting or on the dead socket: kept, and (re)sent after the next CONNACK,
                    // after the renewed SUBSCRIBE
                    "T.ok(c:publish_async('phx/t', 'after', { qos = 1 }))",
                    "local m, err = c:next_message_async(10000)",
                    "T.ok(m, err)",
                    "T.eq(m.payload, 'after')",
                    "T.ok(c:isConnected())",
                    "c:disconnect_async()"));
            LuaRun.Request r = run.next("restart");
            b.restart();
            r.reply(true);
            run.finish(Duration.ofSeconds(30));
        }
    }

    @Test
    void tlsWithTestCa(@TempDir Path tmp) throws Exception {
        Mosquitto.Certs certs = Mosquitto.Certs.make(tmp);
        try (Mosquitto b = Mosquitto.start(new Mosquitto.Config().tls(certs))) {
            String ca = certs.ca.toString().replace("\\", "/");
            LuaRun.run("tls.lua", Map.of("PORT", b.port(), "CA", ca), String.join("\n",
                    "for _, host in ipairs({ '127.0.0.1', 'localhost' }) do",
                    "  local c, err = mqtt.connect_async('mqtts://' .. host .. ':' .. PORT, { caFile = CA })",
                    "  T.ok(c, err)",
                    "  T.same(c:subscribe_async('tls/t', { qos = 2 }), { 2 })",
                    "  T.ok(c:publish_async('tls/t', 'secret\\0', { qos = 2 }))",
                    "  T.eq(c:next_message_async(5000).payload, 'secret\\0')",
                    "  c:disconnect_async()",
                    "end",
                    // without the CA: the JVM's trust store does not know it
                    "local bad, why = mqtt.connect_async('mqtts://127.0.0.1:' .. PORT)",
                    "T.eq(bad, nil)",
                    "T.ok(why:match('^tls: '), why)",
                    // verification off: accepted
                    "local any, err2 = mqtt.connect_async('mqtts://127.0.0.1:' .. PORT, { checkCertificate = false })",
                    "T.ok(any, err2)",
                    "any:disconnect_async()",
                    // plain MQTT against a TLS listener fails, it does not hang
                    "local plain, why3 = mqtt.connect_async('mqtt://127.0.0.1:' .. PORT, { timeout = 1000 })",
                    "T.eq(plain, nil)",
                    "T.ok(why3, 'an error')"));
        }
    }

    @Test
    void withAllNetModulesInstalled() throws Exception {
        try (Mosquitto b = Mosquitto.start(); LuaRun run = new LuaRun("all.lua", globals(b), true)) {
            run.start(String.join("\n",
                    "T.eq(type(net.MQTTClient), 'function')",
                    "local c = assert(net.MQTTClient():connect(MQTT_URL, { queue = true }))",
                    "local ok = T.expect(1, 'connected')",
                    "c:addEventListener('connected', function()",
                    "  c:subscribe('all/t', { callback = function() c:publish('all/t', 'x') end })",
                    "  ok()",
                    "end)",
                    "local m = T.ok(c:next_message_async(5000))",
                    "T.eq(m.payload, 'x')",
                    "c:disconnect()"));
            run.finish(Duration.ofSeconds(20));
        }
    }
}
