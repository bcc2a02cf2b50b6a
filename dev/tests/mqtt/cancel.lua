-- task:cancel() reaches MQTT waits: a cancelled next_message_async takes no message away from the next one, and a
-- client the cancelled task connected is closed.
local client = T.ok(mqtt.connect_async(MQTT_URL, { clientId = "cancel-main" }))
T.ok(client:subscribe_async("cancel/t", { qos = 1 }))

local waiting = false
local r = spawn(function() waiting = true; return client:next_message_async() end)
while not waiting do yield() end
r:cancel()
T.ok(client:publish_async("cancel/t", "m1", { qos = 1 }))
local m = T.ok(client:next_message_async(5000))
T.eq(m.payload, "m1", "the message goes to the next wait")

local own
local opener = spawn(function()
  own = T.ok(mqtt.connect_async(MQTT_URL, { clientId = "cancel-own" }))
  waiting = "own"
  return own:next_message_async()
end)
while waiting ~= "own" do yield() end
T.ok(own:isConnected())
opener:cancel()
local deadline = os.time() + 5
while own:isConnected() and os.time() < deadline do sleep(0.01) end
T.eq(own:isConnected(), false, "the cancelled task's client was closed")
client:disconnect_async()
