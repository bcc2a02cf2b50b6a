package eplua.net.mqtt;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;
import eplua.net.common.Access;
import eplua.net.common.Inbox;
import eplua.net.common.Lifetime;
import eplua.net.common.Lookups;
import eplua.net.common.NetError;
import eplua.net.common.NetHandle;
import eplua.net.common.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT 3.1.1 client connection with its session state: packet ids, outbound QoS 1/2 flows kept until
 * acknowledged (and retransmitted with DUP after a reconnect), inbound QoS 2 ids, active subscriptions (renewed after
 * a reconnect) and the optional message queue behind {@code next_message_async}.
 *
 * <p>Threading: state is touched only from exported methods (called by Lua while it holds the loop's baton) and from
 * Netty callbacks on the engine's loop thread (which hold the baton then), so no locks are needed.
 */
final class MqttSession implements AutoCloseable, NetHandle {
    /** Connection options, parsed from the Lua table by {@link MqttModule}. */
    static final class Options {
        String host;
        int port;
        boolean tls;
        String clientId;
        int keepAlive = 60;
        String username;
        byte[] password;
        boolean cleanSession = true;
        String willTopic;
        byte[] willPayload;
        int willQos;
        boolean willRetain;
        boolean reconnect;
        long initialDelayMs = 1000;
        long maxDelayMs = 30000;
        long timeoutMs = 10000;
        boolean checkCertificate = true;
        String caFile;
        int maxQueue = 10000;
    }

    /** An outbound QoS 1/2 publish until its flow completes. */
    private static final class Outbound {
        final int id;
        final String topic;
        final byte[] payload;
        final MqttQoS qos;
        final boolean retain;
        final CompletableFuture<Object> done;
        boolean released; // PUBREC received, PUBREL sent: waiting for PUBCOMP
        boolean sent;

        Outbound(int id, String topic, byte[] payload, MqttQoS qos, boolean retain, CompletableFuture<Object> done) {
            this.id = id;
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.retain = retain;
            this.done = done;
        }
    }

    private final ModuleContext engine;
    private final Options o;
    private final String where; // the broker, "host:port", for error details
    private NetError setupFailure;
    private final LuaValue emitFn;
    private final SslContext ssl;
    private final Set<String> listened = new HashSet<>();
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final Map<Integer, CompletableFuture<Object>> subAcks = new HashMap<>();
    private final Map<Integer, CompletableFuture<Object>> unsubAcks = new HashMap<>();
    private final Map<Integer, List<String[]>> pendingSubs = new HashMap<>();
    private final Map<Integer, List<String>> pendingUnsubs = new HashMap<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private final LinkedHashMap<String, Integer> subscriptions = new LinkedHashMap<>();
    private final CompletableFuture<Object> connected = new CompletableFuture<>();
    private Resource handle;
    private final Lifetime life = new Lifetime();
    private Channel channel;
    private boolean online;
    private boolean closed; // by the script or the engine: no more reconnects
    private boolean refused;
    private boolean everConnected;
    private NetError closeReason;
    private int attempt;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> connackTimer;
    private int nextId = 1;
    private CompletableFuture<Object> closedFuture;
    // task-style message queue (bounded: the oldest message gives way)
    private boolean queueOn;
    private final Inbox<LuaValue> queue;
    // batching (see send / flushInbox)
    private final ArrayList<Object[]> outbox = new ArrayList<>();
    private boolean flushQueued;
    private final Runnable flushTask = this::flushOutbox;
    private LuaTable inbox = new LuaTable();

    MqttSession(ModuleContext engine, Options o, LuaValue emitFn) {
        this.engine = engine;
        this.o = o;
        this.emitFn = emitFn;
        SslContext c = null;
        try {
            c = o.tls ? Tls.client(o.checkCertificate, o.caFile) : null;
        } catch (NetError e) {
            setupFailure = e; // e.g. a CA file that cannot be read
        }
        this.ssl = c;
        this.queue = new Inbox<>(engine.eventLoop(), o.maxQueue, 0, null);
        this.where = o.host + ":" + o.port;
    }

    /** Starts the first connection. Lua thread. */
    void start() {
        handle = life.track(engine, "mqtt", this);
        if (setupFailure == null) setupFailure = Access.connect(engine, o.host, o.port);
        // after the script's turn: the listeners it adds right after connect must hear even a failure known at once
        // (a name under .invalid; from a fiber on the loop thread Netty reports such a failure inside connect)
        engine.eventLoop().execute(() -> {
            if (setupFailure != null) {
                closed = true;
                emit("error", errorTable(setupFailure));
                finish(setupFailure);
            } else if (!closed) {
                open();
            }
        });
    }

    /**
     * A future of the first CONNACK, for one waiter: cancelling it (the waiting task was cancelled) closes the client
     * and leaves other waiters' futures alone.
     */
    CompletableFuture<Object> connectedFuture() {
        CompletableFuture<Object> f = connected.copy();
        f.whenComplete((v, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) close();
        });
        return f;
    }

    @Override
    public Lifetime lifetime() {
        return life;
    }

    boolean isConnected() {
        return online;
    }

    void listen(String event, boolean on) {
        if (on) listened.add(event);
        else listened.remove(event);
    }

    void enableQueue(boolean on) {
        queueOn = on;
        if (!on) queue.drain();
    }

    // ---- connection -------------------------------------------------------------------------------------------

    private void open() {
        attempt++;
        Bootstrap b = new Bootstrap().group(engine.eventLoop()).channel(NioSocketChannel.class).resolver(Lookups.GROUP)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, o.timeoutMs))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) p.addLast(Tls.clientHandler(ssl, ch.alloc(), o.host, o.port, o.checkCertificate));
                        p.addLast(new MqttDecoder(268_435_455));
                        p.addLast(MqttEncoder.INSTANCE);
                        if (o.keepAlive > 0) {
                            // writer idle -> PINGREQ; nothing read for 1.5 keep-alive periods -> the link is dead
                            p.addLast(new IdleStateHandler(o.keepAlive * 1500L, o.keepAlive * 1000L, 0, TimeUnit.MILLISECONDS));
                        }
                        p.addLast(new Handler());
                    }
                });
        ChannelFuture cf = b.connect(o.host, o.port);
        channel = cf.channel();
        cf.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) lost(f.channel(), NetError.of(f.cause(), where));
        });
        connackTimer = engine.eventLoop().schedule(() -> {
            if (channel == cf.channel() && !online) {
                closeReason = NetError.timeout("no CONNACK from " + where);
                cf.channel().close();
            }
        }, o.timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void sendConnect(Channel ch) {
        MqttMessageBuilders.ConnectBuilder c = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(o.clientId).cleanSession(o.cleanSession).keepAlive(o.keepAlive);
        if (o.willTopic != null) {
            c.willFlag(true).willTopic(o.willTopic).willMessage(o.willPayload != null ? o.willPayload : new byte[0])
                    .willQoS(MqttQoS.valueOf(o.willQos)).willRetain(o.willRetain);
        }
        if (o.username != null) c.hasUser(true).username(o.username);
        if (o.password != null) c.hasPassword(true).password(o.password);
        send(ch, c.build(), ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void onConnAck(Channel ch, MqttConnAckMessage m) {
        MqttConnectReturnCode rc = m.variableHeader().connectReturnCode();
        if (rc != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            closeReason = NetError.of(NetError.REFUSED, describe(rc) + " (code " + (rc.byteValue() & 0xff) + ")");
            if (!everConnected) refused = true; // a refused first attempt is final: credentials will not change
            ch.close();
            return;
        }
        cancelTimer(connackTimer);
        boolean sessionPresent = m.variableHeader().isSessionPresent();
        boolean again = everConnected;
        online = true;
        everConnected = true;
        attempt = 0;
        // renew subscriptions the broker does not remember, then resend unacknowledged flows with DUP
        if (again && !subscriptions.isEmpty() && !sessionPresent) {
            MqttMessageBuilders.SubscribeBuilder sb = MqttMessageBuilders.subscribe();
            List<String[]> list = new ArrayList<>();
            for (Map.Entry<String, Integer> e : subscriptions.entrySet()) {
                sb.addSubscription(MqttQoS.valueOf(e.getValue()), e.getKey());
                list.add(new String[] {e.getKey(), String.valueOf(e.getValue())});
            }
            int id = newId();
            sb.messageId(id);
            pendingSubs.put(id, list);
            send(ch, sb.build(), null);
        }
        for (Outbound ob : inflight.values()) {
            if (ob.released) send(ch, pubrel(ob.id), null);
            else send(ch, publishMessage(ob, ob.sent), null);
            ob.sent = true;
        }
        LuaTable info = new LuaTable();
        info.set("sessionPresent", LuaValue.valueOf(sessionPresent));
        info.set("returnCode", 0);
        info.set("reconnected", LuaValue.valueOf(again));
        if (!again) connected.complete(info);
        emit("connected", info);
    }

    /** A channel ended (or never opened); decides between retry and the end of the client. */
    private void lost(Channel ch, NetError why) {
        if (ch != channel) return;
        channel = null;
        cancelTimer(connackTimer);
        boolean wasOnline = online;
        online = false;
        NetError reason = closeReason != null ? closeReason : why;
        closeReason = null;
        failAll(subAcks, NetError.closed(null));
        failAll(unsubAcks, NetError.closed(null));
        pendingSubs.clear();
        pendingUnsubs.clear();
        if (closed) {
            finish(reason);
            return;
        }
        if (wasOnline) {
            emit("closed", table("reason", reason.getMessage()));
            emit("error", errorTable(reason));
        }
        if (o.reconnect && everConnected && !refused) {
            long delay = Math.min(o.maxDelayMs, o.initialDelayMs * (1L << Math.min(20, attempt)));
            retryTimer = engine.eventLoop().schedule(() -> {
                retryTimer = null;
                if (!closed) open();
            }, delay, TimeUnit.MILLISECONDS);
            return;
        }
        closed = true;
        if (!wasOnline) emit("error", errorTable(reason));
        finish(reason);
    }

    /** The client is over: fail what waits, release the engine. */
    private void finish(NetError reason) {
        cancelTimer(retryTimer);
        connected.completeExceptionally(reason);
        for (Outbound ob : inflight.values()) {
            if (ob.done != null) ob.done.completeExceptionally(NetError.closed(null));
        }
        inflight.clear();
        queue.close(NetError.closed(null));
        if (closedFuture != null) closedFuture.complete(Boolean.TRUE);
        // last: completions above post their callbacks first, so the engine cannot look idle in between
        if (handle != null) handle.release();
    }

    /** disconnect(): DISCONNECT then close; the future completes when the socket is closed. */
    CompletableFuture<Object> disconnect() {
        if (closedFuture == null) closedFuture = new CompletableFuture<>();
        if (closed && channel == null) {
            closedFuture.complete(Boolean.TRUE);
            return closedFuture;
        }
        closed = true;
        Channel ch = channel;
        if (ch == null) {
            finish(NetError.closed("disconnected"));
        } else {
            if (online) emit("closed", table("reason", "disconnect"));
            closeReason = NetError.closed("disconnected");
            if (online) send(ch, MqttMessage.DISCONNECT, ChannelFutureListener.CLOSE);
            else ch.close();
        }
        return closedFuture;
    }

    /** Test hook: cut the TCP connection without DISCONNECT, as a network failure would. */
    void drop() {
        Channel ch = channel;
        if (ch != null) {
            closeReason = NetError.closed("dropped");
            ch.close();
        }
    }

    /** Engine close: best-effort DISCONNECT, then close. */
    @Override
    public void close() {
        closed = true;
        cancelTimer(retryTimer);
        Channel ch = channel;
        if (ch != null) {
            if (online) send(ch, MqttMessage.DISCONNECT, ChannelFutureListener.CLOSE);
            else ch.close();
        } else {
            finish(NetError.closed("engine closed")); // not connected yet, or waiting to reconnect
        }
    }

    // ---- operations -------------------------------------------------------------------------------------------

    /** Sends a PUBLISH; returns its packet id (0 for QoS 0). {@code done} (optional) completes on acknowledgement. */
    int publish(String topic, byte[] payload, int qos, boolean retain, CompletableFuture<Object> done) {
        MqttQoS q = MqttQoS.valueOf(qos);
        if (q == MqttQoS.AT_MOST_ONCE) {
            if (!online) {
                if (done != null) done.completeExceptionally(NetError.closed("not connected"));
                return 0;
            }
            Outbound ob = new Outbound(0, topic, payload, q, retain, done);
            if (done == null && !listened.contains("published")) send(channel, publishMessage(ob, false), null);
            else {
                send(channel, publishMessage(ob, false), x -> {
                    if (x.isSuccess()) {
                        if (done != null) done.complete(packetInfo(0));
                        emit("published", packetInfo(0));
                    } else if (done != null) done.completeExceptionally(NetError.of(x.cause(), where));
                });
            }
            return 0;
        }
        if (closed || (!online && !o.reconnect)) {
            if (done != null) done.completeExceptionally(NetError.closed("not connected"));
            return 0;
        }
        int id = newId();
        Outbound ob = new Outbound(id, topic, payload, q, retain, done);
        inflight.put(id, ob);
        // while reconnecting the message waits in the session and goes out after the next CONNACK
        if (online) {
            ob.sent = true;
            send(channel, publishMessage(ob, false), null);
        }
        return id;
    }

    int subscribe(List<String[]> topics, CompletableFuture<Object> done) {
        if (!online) {
            done.completeExceptionally(NetError.closed("not connected"));
            return 0;
        }
        int id = newId();
        MqttMessageBuilders.SubscribeBuilder sb = MqttMessageBuilders.subscribe().messageId(id);
        for (String[] t : topics) sb.addSubscription(MqttQoS.valueOf(Integer.parseInt(t[1])), t[0]);
        subAcks.put(id, done);
        pendingSubs.put(id, topics);
        send(channel, sb.build(), null);
        return id;
    }

    int unsubscribe(List<String> topics, CompletableFuture<Object> done) {
        if (!online) {
            done.completeExceptionally(NetError.closed("not connected"));
            return 0;
        }
        int id = newId();
        MqttMessageBuilders.UnsubscribeBuilder ub = MqttMessageBuilders.unsubscribe().messageId(id);
        for (String t : topics) ub.addTopicFilter(t);
        unsubAcks.put(id, done);
        pendingUnsubs.put(id, topics);
        send(channel, ub.build(), null);
        return id;
    }

    /**
     * The next queued message, now or when one arrives; fails "timeout" after {@code timeoutMs}
     * (0: never), "closed" once the client is over and the queue is empty.
     */
    CompletableFuture<LuaValue> nextMessage(long timeoutMs) {
        queueOn = true;
        return queue.take(timeoutMs);
    }

    // ---- inbound ----------------------------------------------------------------------------------------------

    private void onPublish(Channel ch, MqttPublishMessage m) {
        MqttFixedHeader h = m.fixedHeader();
        int id = m.variableHeader().packetId();
        switch (h.qosLevel()) {
            case AT_LEAST_ONCE:
                send(ch, new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(id)), null);
                break;
            case EXACTLY_ONCE:
                send(ch, new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(id)), null);
                // delivered once on first receipt; duplicates until PUBREL are acknowledged but not delivered again
                if (!inboundQos2.add(id)) return;
                break;
            default:
                break;
        }
        LuaTable msg = new LuaTable();
        msg.set("topic", m.variableHeader().topicName());
        msg.set("payload", LuaString.valueUsing(ByteBufUtil.getBytes(m.payload())));
        msg.set("qos", h.qosLevel().value());
        msg.set("retain", LuaValue.valueOf(h.isRetain()));
        msg.set("dup", LuaValue.valueOf(h.isDup()));
        if (id > 0) msg.set("packetId", id);
        emit("message", msg);
        if (queueOn) queue.put(msg);
    }

    private void onAck(Channel ch, MqttMessage m) {
        MqttMessageType type = m.fixedHeader().messageType();
        int id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
        switch (type) {
            case PUBACK:
            case PUBCOMP: {
                Outbound ob = inflight.remove(id);
                if (ob != null) completed(ob);
                break;
            }
            case PUBREC: {
                Outbound ob = inflight.get(id);
                if (ob != null) ob.released = true;
                send(ch, pubrel(id), null);
                break;
            }
            case PUBREL:
                inboundQos2.remove(id);
                send(ch, new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(id)), null);
                break;
            case UNSUBACK: {
                CompletableFuture<Object> f = unsubAcks.remove(id);
                List<String> topics = pendingUnsubs.remove(id);
                if (topics != null) topics.forEach(subscriptions::remove);
                LuaTable info = packetInfo(id);
                if (topics != null) info.set("topics", engine.toLua(topics));
                if (f != null) f.complete(info);
                emit("unsubscribed", info);
                break;
            }
            default:
                break;
        }
    }

    private void onSubAck(MqttSubAckMessage m) {
        int id = m.variableHeader().messageId();
        CompletableFuture<Object> f = subAcks.remove(id);
        List<String[]> topics = pendingSubs.remove(id);
        List<Integer> granted = m.payload().grantedQoSLevels();
        if (topics != null) {
            for (int i = 0; i < topics.size(); i++) {
                int g = i < granted.size() ? granted.get(i) : 0x80;
                if (g < 0x80) subscriptions.put(topics.get(i)[0], g);
            }
        }
        LuaTable info = packetInfo(id);
        info.set("results", engine.toLua(granted));
        if (f != null) f.complete(info);
        emit("subscribed", info); // renewals after a reconnect are reported too
    }

    private void completed(Outbound ob) {
        LuaTable info = packetInfo(ob.id);
        if (ob.done != null) ob.done.complete(info);
        emit("published", info);
    }

    // ---- batching ---------------------------------------------------------------------------------------------

    /**
     * Queues a packet; one loop task writes everything queued and flushes once. A write from Lua runs on a fiber, where
     * each {@code writeAndFlush} would be its own cross-thread task and wake-up; batching makes a burst of publishes
     * one syscall. Order is kept because every packet goes through here.
     */
    private void send(Channel ch, MqttMessage m, GenericFutureListener<? extends Future<? super Void>> l) {
        outbox.add(new Object[] {ch, m, l});
        if (!flushQueued) {
            flushQueued = true;
            ch.eventLoop().execute(flushTask);
        }
    }

    @SuppressWarnings("unchecked")
    private void flushOutbox() {
        flushQueued = false;
        Object[][] batch = outbox.toArray(new Object[0][]);
        outbox.clear();
        Channel last = null;
        for (Object[] e : batch) {
            Channel ch = (Channel) e[0];
            if (last != null && last != ch) last.flush();
            last = ch;
            ChannelFuture f = ch.write(e[1]);
            if (e[2] != null) f.addListener((GenericFutureListener<? extends Future<? super Void>>) e[2]);
        }
        if (last != null) last.flush();
    }

    /** Messages read in one burst go to Lua as one task ("messages" -> each to the `message` listeners). */
    private void flushInbox() {
        if (inbox.length() == 0) return;
        LuaTable batch = inbox;
        inbox = new LuaTable();
        engine.call(emitFn, LuaValue.valueOf("messages"), batch);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private MqttPublishMessage publishMessage(Outbound ob, boolean dup) {
        ByteBuf payload = Unpooled.wrappedBuffer(ob.payload);
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, ob.qos, ob.retain, 0),
                new MqttPublishVariableHeader(ob.topic, ob.qos == MqttQoS.AT_MOST_ONCE ? -1 : ob.id), payload);
    }

    private static MqttMessage pubrel(int id) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(id));
    }

    private int newId() {
        for (int i = 0; i < 65535; i++) {
            int id = nextId;
            nextId = nextId == 65535 ? 1 : nextId + 1;
            if (!inflight.containsKey(id) && !subAcks.containsKey(id) && !unsubAcks.containsKey(id)) return id;
        }
        throw new IllegalStateException("no free MQTT packet id (65535 in flight)");
    }

    private void emit(String event, LuaValue data) {
        if (!listened.contains(event)) return;
        if (event.equals("message")) {
            inbox.insert(inbox.length() + 1, data);
            return;
        }
        flushInbox(); // events keep their order
        engine.call(emitFn, LuaValue.valueOf(event), data);
    }

    private static LuaTable packetInfo(int id) {
        LuaTable t = new LuaTable();
        t.set("packetId", id);
        return t;
    }

    private static LuaTable table(String k, String v) {
        LuaTable t = new LuaTable();
        t.set(k, v);
        return t;
    }

    private static LuaTable errorTable(NetError why) {
        String reason = why.getMessage();
        LuaTable t = new LuaTable();
        t.set("message", reason);
        int code = -1;
        int i = reason.indexOf("(code ");
        if (i >= 0) {
            try {
                code = Integer.parseInt(reason.substring(i + 6, reason.indexOf(')', i)));
            } catch (RuntimeException ignored) {
                // keep -1
            }
        }
        t.set("code", code);
        return t;
    }

    private static void failAll(Map<Integer, CompletableFuture<Object>> m, NetError why) {
        for (Iterator<CompletableFuture<Object>> it = m.values().iterator(); it.hasNext(); ) {
            CompletableFuture<Object> f = it.next();
            it.remove();
            if (f != null) f.completeExceptionally(why);
        }
    }

    private static void cancelTimer(ScheduledFuture<?> t) {
        if (t != null) t.cancel(false);
    }

    private static String describe(MqttConnectReturnCode rc) {
        switch (rc) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION: return "unacceptable protocol version";
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED: return "identifier rejected";
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE: return "server unavailable";
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD: return "bad user name or password";
            case CONNECTION_REFUSED_NOT_AUTHORIZED: return "not authorized";
            default: return rc.name().toLowerCase();
        }
    }

    /** The channel's last stage: MQTT packets in, lifecycle events to the session. */
    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ssl == null) sendConnect(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent) evt;
                if (e.isSuccess()) sendConnect(ctx.channel());
                else {
                    // whatever ended it (a rejected certificate, or the peer closing first), a failed handshake is tls
                    NetError n = NetError.of(e.cause(), where);
                    closeReason = n.getMessage().startsWith(NetError.TLS) ? n
                            : NetError.of(NetError.TLS, "handshake with " + where + " failed: " + n.getMessage());
                    ctx.close();
                }
            } else if (evt instanceof IdleStateEvent) {
                IdleStateEvent e = (IdleStateEvent) evt;
                if (e.state() == IdleState.WRITER_IDLE) send(ctx.channel(), MqttMessage.PINGREQ, null);
                else if (e.state() == IdleState.READER_IDLE) {
                    closeReason = NetError.timeout("no PINGRESP from " + where);
                    ctx.close();
                }
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (ctx.channel() != channel) return;
            if (m.decoderResult().isFailure()) {
                closeReason = NetError.protocol(m.decoderResult().cause().getMessage() + " (" + where + ")");
                ctx.close();
                return;
            }
            switch (m.fixedHeader().messageType()) {
                case CONNACK: onConnAck(ctx.channel(), (MqttConnAckMessage) m); break;
                case PUBLISH: onPublish(ctx.channel(), (MqttPublishMessage) m); break;
                case SUBACK: onSubAck((MqttSubAckMessage) m); break;
                case PUBACK: case PUBREC: case PUBREL: case PUBCOMP: case UNSUBACK: onAck(ctx.channel(), m); break;
                default: break; // PINGRESP: reading it is enough to reset the idle timer
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushInbox();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            flushInbox();
            lost(ctx.channel(), NetError.closed("connection closed by broker " + where));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (closeReason == null) closeReason = NetError.of(cause, where);
            ctx.close();
        }
    }
}
