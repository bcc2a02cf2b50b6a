-- Wildcard subscriptions: + matches one level, # matches the rest.
local sub = assert(mqtt.connect_async(MQTT_URL))
local pub = assert(mqtt.connect_async(MQTT_URL))
T.same(sub:subscribe_async({ "wc/+/temp", "wc/house/#" }, { qos = 1 }), { 1, 1 })

pub:publish_async("wc/kitchen/temp", "21", { qos = 1 })     -- + only
pub:publish_async("wc/kitchen/humidity", "40", { qos = 1 }) -- neither
pub:publish_async("wc/house/a/b/c", "deep", { qos = 1 })    -- # only
pub:publish_async("wc/house", "parent", { qos = 1 })        -- # also matches the parent level
pub:publish_async("wc/a/b/temp", "no", { qos = 1 })         -- + is one level only

local got = {}
for i = 1, 3 do
  local m = T.ok(sub:next_message_async(5000))
  got[#got + 1] = m.topic .. "=" .. m.payload
end
table.sort(got)
T.same(got, { "wc/house/a/b/c=deep", "wc/house=parent", "wc/kitchen/temp=21" })
T.eq(select(2, sub:next_message_async(200)), "timeout")
sub:disconnect_async()
pub:disconnect_async()
