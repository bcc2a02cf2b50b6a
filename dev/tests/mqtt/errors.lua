-- Failures reach the script as nil, err / callback codes / error events; misuse raises "bad argument".
-- nothing listens on port 1 of 127.0.0.1
local c, err = mqtt.connect_async("mqtt://127.0.0.1:1", { timeout = 2000 })
T.eq(c, nil)
T.ok(err:match("^refused"), err)

local cb = T.expect(1, "connect callback")
local ev = T.expect(1, "error event")
local client = mqtt.Client.connect("mqtt://127.0.0.1:1", { callback = function(code, msg)
  T.eq(code, -1)
  T.ok(msg:match("^refused"), msg)
  cb()
end })
client:addEventListener("error", function(e) T.ok(e.message:match("^refused")); ev() end)

T.raises(function() mqtt.Client.connect(42) end, "bad argument #1 to 'connect'")
T.raises(function() mqtt.Client.connect("http://x") end, "scheme")
T.raises(function() mqtt.Client.connect(MQTT_URL, { lastWill = { payload = "x" } }) end, "bad argument #2")

local ok = assert(mqtt.connect_async(MQTT_URL))
T.raises(function() ok:publish(nil, "x") end, "bad argument #1 to 'publish'")
T.raises(function() ok:publish("t", "x", { qos = 3 }) end, "qos must be 0, 1 or 2")
T.raises(function() ok:subscribe({}) end, "bad argument #1 to 'subscribe'")
T.raises(function() ok:addEventListener("nope", print) end, "unknown event")
ok:disconnect_async()
-- after disconnect: task-style calls fail with "closed", never raise
local id, perr = ok:publish_async("t", "x", { qos = 1 })
T.eq(id, nil)
T.ok(perr:match("^closed"), perr)
local g, serr = ok:subscribe_async("t")
T.eq(g, nil)
T.ok(serr:match("^closed"), serr)
