-- Keep-alive: with keepAlivePeriod = 1 s and no traffic, PINGREQ/PINGRESP keep the connection up (the client would
-- drop a link with nothing read for 1.5 periods, and the broker one silent for 1.5 periods).
local c = assert(mqtt.connect_async(MQTT_URL, { keepAlivePeriod = 1 }))
local closed = false
c:addEventListener("closed", function(e) if e.reason ~= "disconnect" then closed = e.reason end end)
sleep(2.2) -- the behaviour under test is what happens while idle
T.eq(closed, false)
T.ok(c:isConnected())
T.same(c:subscribe_async("ka/t", { qos = 1 }), { 1 })
T.ok(c:publish_async("ka/t", "still here", { qos = 1 }))
T.eq(c:next_message_async(5000).payload, "still here")
c:disconnect_async()
