-- MQTT throughput from Lua: N messages published by one client, through mosquitto, to a subscriber in the same
-- engine that counts them with a `message` event listener. Globals set by eplua.net.mqtt.MqttBench:
-- MQTT_URL, N, QOS, SIZE, NOW() -> seconds (monotonic), DONE(t_start, t_end, received).
local sub = assert(mqtt.connect_async(MQTT_URL, { clientId = "bench-sub" }))
local pub = assert(mqtt.connect_async(MQTT_URL, { clientId = "bench-pub" }))
assert(sub:subscribe_async("bench/t", { qos = QOS }))
local payload = string.rep("x", SIZE)
local got, t0 = 0, nil
sub:addEventListener("message", function()
  got = got + 1
  if got == N then DONE(t0, NOW(), got) end
end)
-- a stalled run (lost messages) still ends
local watchdog = setTimeout(function() DONE(t0, NOW(), got) end, 60000, { system = true })
t0 = NOW()
for i = 1, N do
  if i % 500 == 0 then
    -- flow control: every 500th message waits for its acknowledgement (QoS 1) or a loop turn (QoS 0)
    if QOS > 0 then assert(pub:publish_async("bench/t", payload, { qos = QOS })) else pub:publish("bench/t", payload); yield() end
  else
    pub:publish("bench/t", payload, { qos = QOS })
  end
end
