---@meta
-- eplua mqtt: an MQTT 3.1.1 client, from eplua-net/src/main/resources/eplua/net/mqtt.lua. Callback style (Fibaro
-- HC3 / EPLua names: callbacks get `0, value` on success and `code, message` on failure) and task style (`*_async`:
-- value, or `nil, err` with err starting "closed", "timeout", "refused: ...", "tls: ..."). Payloads are binary-safe
-- strings. Declarations only.

---Quality of service levels.
---@class mqtt.QoS
---@field AT_MOST_ONCE 0
---@field AT_LEAST_ONCE 1
---@field EXACTLY_ONCE 2

---@alias mqtt.QoSLevel 0|1|2

---A callback-style completion: `code` 0 and a value on success, a non-zero code (-1 when there is no protocol
---code) and the error message on failure.
---@alias mqtt.Callback fun(code: integer, value: any)

---The last will the broker publishes when the client vanishes.
---@class mqtt.LastWill
---@field topic string
---@field payload? string
---@field qos? mqtt.QoSLevel
---@field retain? boolean

---Reconnection with exponential back-off; subscriptions are renewed and unacknowledged QoS 1/2 messages resent.
---@class mqtt.Reconnect
---@field initialDelay? number milliseconds (default 1000)
---@field maxDelay? number milliseconds (default 30000)

---Options of `mqtt.Client.connect` and `mqtt.connect_async`.
---@class mqtt.ConnectOptions: net.HandleOptions
---@field clientId? string
---@field keepAlivePeriod? integer seconds (default 60; 0: off)
---@field username? string
---@field password? string
---@field cleanSession? boolean default true
---@field lastWill? mqtt.LastWill
---@field callback? mqtt.Callback `callback(0)` once connected
---@field reconnect? boolean|mqtt.Reconnect
---@field timeout? number milliseconds for connect and CONNACK (default 10000)
---@field checkCertificate? boolean default true (mqtts)
---@field caFile? string PEM file of certificate authorities to trust
---@field queue? boolean keep messages for `next_message_async` (on for `mqtt.connect_async`)
---@field maxQueue? integer messages kept at most (default 10000)

---Options of `publish`.
---@class mqtt.PublishOptions
---@field qos? mqtt.QoSLevel
---@field retain? boolean
---@field callback? mqtt.Callback `callback(0, {packetId})` when written (QoS 0), acknowledged (1) or completed (2)

---Options of `subscribe`.
---@class mqtt.SubscribeOptions
---@field qos? mqtt.QoSLevel for topics given without one
---@field callback? mqtt.Callback `callback(0, {packetId, results})`; results are granted QoS levels, 128 = refused

---Options of `unsubscribe` and `disconnect`.
---@class mqtt.CallbackOptions
---@field callback? mqtt.Callback

---Topics: one filter, a list of filters, or a list of `{filter, qos}` pairs.
---@alias mqtt.Topics string|string[]|table[]

---A received message (the "message" event, `next_message_async`).
---@class mqtt.Message
---@field topic string
---@field payload string
---@field qos mqtt.QoSLevel
---@field retain boolean
---@field dup boolean
---@field packetId? integer

---Events of an MQTT client; each listener gets one table.
---@alias mqtt.Event
---| "connected"    # {sessionPresent, returnCode, reconnected}
---| "closed"       # {reason}
---| "disconnected" # {reason}: EPLua's name for "closed" (both fire)
---| "error"        # {code, message}
---| "message"      # mqtt.Message
---| "subscribed"   # {packetId, results}
---| "unsubscribed" # {packetId, topics}
---| "published"    # {packetId}

---An MQTT client.
---@class mqtt.Client: net.Handle
local Client = {}

---Connects: `mqtt.Client.connect(uri, opts)` makes a client; `client:connect(uri, opts)` connects one made by
---`net.MQTTClient()`. The outcome comes through `opts.callback` and the "connected" or "error" event.
---@param uri string "mqtt://host[:port]" (1883) or "mqtts://host[:port]" (8883)
---@param opts? mqtt.ConnectOptions
---@return mqtt.Client
---@overload fun(self: mqtt.Client, uri: string, opts?: mqtt.ConnectOptions): mqtt.Client
function Client.connect(uri, opts) end

---Adds a listener.
---@param name mqtt.Event
---@param fn fun(event: table)
---@overload fun(self: mqtt.Client, name: "message", fn: fun(msg: mqtt.Message))
function Client:addEventListener(name, fn) end

---Removes a listener, or every listener of the event without `fn`.
---@param name mqtt.Event
---@param fn? function
function Client:removeEventListener(name, fn) end

---@return boolean
function Client:isConnected() end

---Publishes a message.
---@param topic string
---@param payload? string|number
---@param opts? mqtt.PublishOptions
---@return integer packetId 0 for QoS 0
function Client:publish(topic, payload, opts) end

---Subscribes.
---@param topics mqtt.Topics
---@param opts? mqtt.SubscribeOptions
---@return integer packetId
function Client:subscribe(topics, opts) end

---Unsubscribes; the callback gets `0, {packetId, topics}`.
---@param topics string|string[]
---@param opts? mqtt.CallbackOptions
---@return integer packetId
function Client:unsubscribe(topics, opts) end

---Sends DISCONNECT, then closes; the callback gets `0` once closed.
---@param opts? mqtt.CallbackOptions
function Client:disconnect(opts) end

---Publishes and suspends until written (QoS 0), PUBACK (1) or PUBCOMP (2).
---@async
---@param topic string
---@param payload? string|number
---@param opts? mqtt.PublishOptions
---@return integer? packetId
---@return net.Error? err
function Client:publish_async(topic, payload, opts) end

---Subscribes and suspends until SUBACK.
---@async
---@param topics mqtt.Topics
---@param opts? mqtt.SubscribeOptions
---@return integer[]? granted QoS per topic (128 = refused)
---@return net.Error? err
function Client:subscribe_async(topics, opts) end

---Unsubscribes and suspends until UNSUBACK.
---@async
---@param topics string|string[]
---@param opts? mqtt.CallbackOptions
---@return true? ok
---@return net.Error? err
function Client:unsubscribe_async(topics, opts) end

---The next message from the queue (on with `mqtt.connect_async` or `opts.queue`).
---@async
---@param timeout_ms? number
---@return mqtt.Message? msg
---@return net.Error? err "timeout" or "closed"
function Client:next_message_async(timeout_ms) end

---Disconnects and suspends until closed.
---@async
---@return true
function Client:disconnect_async() end

---The MQTT client.
---@class mqtt
---@field Client mqtt.Client the client class: `mqtt.Client.connect(uri, opts)`
---@field QoS mqtt.QoS
mqtt = {}

---Connects and suspends until CONNACK; the client's message queue is on.
---@async
---@param uri string "mqtt://host[:port]" or "mqtts://host[:port]"
---@param opts? mqtt.ConnectOptions
---@return mqtt.Client? client
---@return net.Error? err
function mqtt.connect_async(uri, opts) end

---An unconnected MQTT client; `client:connect(uri, opts)` connects it (EPLua's spelling).
---@return mqtt.Client
function net.MQTTClient() end
