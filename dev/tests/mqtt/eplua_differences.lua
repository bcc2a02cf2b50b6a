-- EPLua's MQTT behaviour: the "disconnected" event (EPLua's name for "closed") fires; removeEventListener(name)
-- without a function removes every listener of the event.
local client = T.ok(mqtt.connect_async(MQTT_URL, { clientId = "eplua-diff" }))
local heard = {}
client:addEventListener("message", function() heard[#heard + 1] = "a" end)
client:addEventListener("message", function() heard[#heard + 1] = "b" end)
client:removeEventListener("message")
local got = nil
client:addEventListener("message", function(m) got = m.payload end)
T.ok(client:subscribe_async("eplua/diff", { qos = 1 }))
T.ok(client:publish_async("eplua/diff", "one", { qos = 1 }))
while got == nil do sleep(0.01) end
T.eq(got, "one")
T.eq(#heard, 0, "the removed listeners heard nothing")

local disconnected = T.expect(1, "disconnected event")
local closed = T.expect(1, "closed event")
local ended = 0
client:addEventListener("disconnected", function(e) T.eq(e.reason, "disconnect"); disconnected(); ended = ended + 1 end)
client:addEventListener("closed", function() closed(); ended = ended + 1 end)
client:disconnect_async()
while ended < 2 do sleep(0.01) end
T.eq(client:isConnected(), false)
