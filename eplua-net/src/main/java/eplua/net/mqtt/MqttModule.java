package eplua.net.mqtt;

import com.google.auto.service.AutoService;
import eplua.core.spi.LuaExport;
import eplua.core.spi.LuaModule;
import eplua.core.spi.ModuleContext;
import eplua.net.common.NetModule;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code mqtt} module: Java primitives in {@code _eplua.mqtt} (one {@link MqttSession} per client, passed back
 * as the first argument), and the public API ({@code mqtt.Client}, {@code net.MQTTClient}, the {@code *_async}
 * twins) in {@code eplua/net/mqtt.lua}.
 */
@AutoService(LuaModule.class)
public final class MqttModule extends NetModule {
    public MqttModule() {
        super("mqtt", "eplua/net/mqtt.lua");
    }

    /**
     * connect(uri, opts, emit) -> session, or nil, what is wrong with the uri (mqtt.lua raises it: misuse).
     * {@code opts} is already validated by the Lua layer; {@code emit(name, data)} receives events the script
     * listens to; network failures go to the connect future.
     */
    @LuaExport("connect")
    public Varargs connect(String uri, LuaTable opts, LuaValue emit) {
        MqttSession.Options o;
        try {
            o = options(ctx, uri, opts);
        } catch (IllegalArgumentException e) {
            return failure(e.getMessage()); // misuse: mqtt.lua raises it
        }
        MqttSession s = new MqttSession(ctx, o, emit);
        s.start();
        return LuaValue.userdataOf(s);
    }

    /** connected(session) -> future of the first CONNACK: {sessionPresent, returnCode} or "refused: ...". */
    @LuaExport("connected")
    public CompletableFuture<Object> connected(Object s) {
        return session(s).connectedFuture();
    }

    @LuaExport("listen")
    public void listen(Object s, String event, boolean on) {
        session(s).listen(event, on);
    }

    @LuaExport("queue")
    public void queue(Object s, boolean on) {
        session(s).enableQueue(on);
    }

    @LuaExport("is_connected")
    public boolean isConnected(Object s) {
        return session(s).isConnected();
    }

    /** publish(session, topic, payload, qos, retain, want_future) -> packetId [, future]. */
    @LuaExport("publish")
    public Varargs publish(Object s, String topic, byte[] payload, int qos, boolean retain, boolean want) {
        CompletableFuture<Object> f = want ? new CompletableFuture<>() : null;
        int id = session(s).publish(topic, payload == null ? new byte[0] : payload, qos, retain, f);
        return LuaValue.varargsOf(LuaValue.valueOf(id), f == null ? LuaValue.NIL : LuaValue.userdataOf(f));
    }

    /** subscribe(session, {{topic, qos}, ...}) -> packetId, future of {packetId, results={granted qos...}}. */
    @LuaExport("subscribe")
    public Varargs subscribe(Object s, LuaTable list) {
        List<String[]> topics = new ArrayList<>();
        for (int i = 1; i <= list.length(); i++) {
            LuaValue e = list.get(i);
            topics.add(new String[] {e.get(1).checkjstring(), String.valueOf(e.get(2).optint(0))});
        }
        CompletableFuture<Object> f = new CompletableFuture<>();
        int id = session(s).subscribe(topics, f);
        return LuaValue.varargsOf(LuaValue.valueOf(id), LuaValue.userdataOf(f));
    }

    /** unsubscribe(session, {topic, ...}) -> packetId, future of {packetId, topics}. */
    @LuaExport("unsubscribe")
    public Varargs unsubscribe(Object s, LuaTable list) {
        List<String> topics = new ArrayList<>();
        for (int i = 1; i <= list.length(); i++) topics.add(list.get(i).checkjstring());
        CompletableFuture<Object> f = new CompletableFuture<>();
        int id = session(s).unsubscribe(topics, f);
        return LuaValue.varargsOf(LuaValue.valueOf(id), LuaValue.userdataOf(f));
    }

    @LuaExport("disconnect")
    public CompletableFuture<Object> disconnect(Object s) {
        return session(s).disconnect();
    }

    /** next_message(session, timeout_ms) -> future of the next queued message; fails "timeout" or "closed". */
    @LuaExport("next_message")
    public CompletableFuture<LuaValue> nextMessage(Object s, double timeoutMs) {
        return session(s).nextMessage((long) timeoutMs);
    }

    /** Test hook: cut the connection without DISCONNECT (last will fires, reconnect applies). */
    @LuaExport("drop")
    public void drop(Object s) {
        session(s).drop();
    }

    private static MqttSession session(Object s) {
        return handle(s, MqttSession.class, "MQTT client");
    }

    static MqttSession.Options options(ModuleContext ctx, String uri, LuaTable t) {
        MqttSession.Options o = new MqttSession.Options();
        String u = uri.contains("://") ? uri : "mqtt://" + uri;
        URI parsed;
        try {
            parsed = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad MQTT URI '" + uri + "': " + e.getMessage());
        }
        String scheme = parsed.getScheme().toLowerCase();
        if (!scheme.equals("mqtt") && !scheme.equals("mqtts") && !scheme.equals("tcp") && !scheme.equals("ssl"))
            throw new IllegalArgumentException("bad MQTT URI '" + uri + "' (scheme mqtt:// or mqtts:// expected)");
        o.tls = scheme.equals("mqtts") || scheme.equals("ssl");
        o.host = parsed.getHost();
        if (o.host == null || o.host.isEmpty()) throw new IllegalArgumentException("bad MQTT URI '" + uri + "' (no host)");
        if (o.host.startsWith("[") && o.host.endsWith("]")) o.host = o.host.substring(1, o.host.length() - 1);
        int port = parsed.getPort();
        if (port < 0 && t.get("port").isnumber()) port = t.get("port").toint();
        o.port = port >= 0 ? port : o.tls ? 8883 : 1883;
        LuaValue v;
        o.clientId = (v = t.get("clientId")).isstring() ? v.tojstring()
                : "eplua-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if ((v = t.get("keepAlivePeriod")).isnumber()) o.keepAlive = v.toint();
        if ((v = t.get("username")).isstring()) o.username = v.tojstring();
        if ((v = t.get("password")).isstring()) o.password = ctx.bytes(v);
        if ((v = t.get("cleanSession")).isboolean()) o.cleanSession = v.toboolean();
        if ((v = t.get("timeout")).isnumber()) o.timeoutMs = (long) v.todouble();
        if ((v = t.get("checkCertificate")).isboolean()) o.checkCertificate = v.toboolean();
        if ((v = t.get("caFile")).isstring()) o.caFile = v.tojstring();
        if ((v = t.get("maxQueue")).isnumber()) o.maxQueue = Math.max(1, v.toint());
        LuaValue w = t.get("lastWill");
        if (w.istable()) {
            o.willTopic = w.get("topic").checkjstring();
            o.willPayload = w.get("payload").isnil() ? new byte[0] : ctx.bytes(w.get("payload"));
            o.willQos = w.get("qos").optint(0);
            o.willRetain = w.get("retain").toboolean();
        }
        LuaValue r = t.get("reconnect");
        if (r.istable()) {
            o.reconnect = true;
            if (r.get("initialDelay").isnumber()) o.initialDelayMs = (long) r.get("initialDelay").todouble();
            if (r.get("maxDelay").isnumber()) o.maxDelayMs = (long) r.get("maxDelay").todouble();
        } else {
            o.reconnect = r.toboolean();
        }
        return o;
    }
}
