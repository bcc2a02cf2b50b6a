-- QoS 0, 1 and 2 round trips through the broker, task style; payloads are binary-safe.
local sub = assert(mqtt.connect_async(MQTT_URL, { clientId = "rt-sub" }))
local pub = assert(mqtt.connect_async(MQTT_URL, { clientId = "rt-pub" }))
T.ok(sub:isConnected())
T.same(sub:subscribe_async({ { "rt/q0", 0 }, { "rt/q1", 1 }, { "rt/q2", 2 } }), { 0, 1, 2 })

local binary = "a\0b\255\1z"
for q = 0, 2 do
  local id, err = pub:publish_async("rt/q" .. q, binary .. q, { qos = q })
  T.ok(id, err)
  if q == 0 then T.eq(id, 0) else T.ok(id > 0, "packet id") end
  local m, merr = sub:next_message_async(5000)
  T.ok(m, merr)
  T.eq(m.topic, "rt/q" .. q)
  T.eq(m.payload, binary .. q)
  T.eq(m.qos, q)
  T.eq(m.retain, false)
end

-- many in flight at once (QoS 2 flows interleave)
local tasks = {}
for i = 1, 20 do tasks[i] = spawn(function() return pub:publish_async("rt/q2", "m" .. i, { qos = 2 }) end) end
for i = 1, 20 do T.ok(tasks[i]:await(5000)) end
local seen = {}
for i = 1, 20 do
  local m = T.ok(sub:next_message_async(5000))
  seen[m.payload] = true
end
for i = 1, 20 do T.ok(seen["m" .. i], "m" .. i) end

local none, why = sub:next_message_async(50)
T.eq(none, nil)
T.eq(why, "timeout")

T.eq(sub:unsubscribe_async({ "rt/q0", "rt/q1", "rt/q2" }), true)
pub:publish_async("rt/q1", "after", { qos = 1 })
T.eq(select(2, sub:next_message_async(200)), "timeout")

T.eq(pub:disconnect_async(), true)
T.eq(sub:disconnect_async(), true)
T.eq(sub:isConnected(), false)
local m, err = sub:next_message_async(100)
T.eq(m, nil)
T.eq(err, "closed")
