-- The last will is published by the broker when a client's connection is cut without DISCONNECT.
local watcher = assert(mqtt.connect_async(MQTT_URL, { clientId = "will-watcher" }))
T.same(watcher:subscribe_async("will/status", { qos = 1 }), { 1 })

local dying = assert(mqtt.connect_async(MQTT_URL, {
  clientId = "will-dying",
  lastWill = { topic = "will/status", payload = "offline\0!", qos = 1, retain = false },
}))
local closed = T.expect(1, "closed event")
local errored = T.expect(1, "error event")
dying:addEventListener("closed", function(e) T.eq(e.reason, "closed: dropped"); closed() end)
dying:addEventListener("error", function(e) T.eq(e.message, "closed: dropped"); T.eq(e.code, -1); errored() end)
dying:_drop() -- the TCP connection goes, no DISCONNECT

local m, err = watcher:next_message_async(5000)
T.ok(m, err)
T.eq(m.topic, "will/status")
T.eq(m.payload, "offline\0!")
T.eq(dying:isConnected(), false)

-- a clean disconnect does not publish the will
local polite = assert(mqtt.connect_async(MQTT_URL, { lastWill = { topic = "will/status", payload = "nope" } }))
polite:disconnect_async()
T.eq(select(2, watcher:next_message_async(300)), "timeout")
watcher:disconnect_async()
