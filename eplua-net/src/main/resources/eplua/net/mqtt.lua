-- eplua MQTT client (MQTT 3.1.1 over Netty's codec): the public Lua API over the primitives in _eplua.mqtt (`...`).
--
-- Callback style (Fibaro HC3 / EPLua names):
--   client = mqtt.Client.connect(uri, opts)            uri: "mqtt://host[:port]" (1883) or "mqtts://host[:port]" (8883)
--   client = net.MQTTClient():connect(uri, opts)        legacy spelling of the same
--     opts: clientId, keepAlivePeriod (s, default 60; 0 = off), username, password, cleanSession (default true),
--           lastWill = {topic, payload, qos, retain}, callback = fn(errorCode, info_or_message) (0 = connected),
--           reconnect = true | {initialDelay = ms, maxDelay = ms}  (exponential back-off, default 1000..30000 ms;
--             subscriptions are renewed and unacknowledged QoS 1/2 messages resent with DUP after reconnecting),
--           timeout (ms, connect + CONNACK, default 10000), checkCertificate (default true), caFile (PEM CA to trust),
--           queue = true (keep messages for next_message_async; on by default for mqtt.connect_async), maxQueue (10000)
--   client:publish(topic, payload, {qos, retain, callback}) -> packetId (0 for QoS 0); callback(0, {packetId}) when
--     written (QoS 0) / PUBACK (QoS 1) / PUBCOMP (QoS 2), or callback(-1, err). Payloads are binary-safe strings.
--   client:subscribe(topic | {topic, ...} | {{topic, qos}, ...}, {qos, callback}) -> packetId;
--     callback(0, {packetId, results = {granted qos, ... (128 = refused)}})
--   client:unsubscribe(topic | {topic, ...}, {callback}) -> packetId; callback(0, {packetId, topics})
--   client:disconnect({callback})   DISCONNECT, then close; callback(0) once closed
--   client:addEventListener(name, fn) / client:removeEventListener(name [, fn]) (no fn: every listener of the
--   event); events and their table argument:
--     connected {sessionPresent, returnCode, reconnected}   closed {reason} (also "disconnected", EPLua's name)
--     error {code, message}
--     message {topic, payload, qos, retain, dup, packetId}  subscribed {packetId, results}
--     unsubscribed {packetId, topics}                      published {packetId}
--   client:isConnected()
--   mqtt.QoS.AT_MOST_ONCE / AT_LEAST_ONCE / EXACTLY_ONCE (0, 1, 2)
--
-- Task style (suspend the running task; return values, or nil, err with err starting with a word of the net
-- vocabulary, README, "Network errors": "closed", "timeout", "refused" (also a broker's refusal: "(code N)"), "reset",
-- "resolve", "unreachable", "tls", "protocol", "io"):
--   mqtt.connect_async(uri, opts) -> client | nil, err          (the message queue is on)
--   client:publish_async(topic, payload, opts) -> packetId      (after PUBACK / PUBCOMP for QoS 1 / 2)
--   client:subscribe_async(topics, opts) -> {granted qos, ...}
--   client:unsubscribe_async(topics, opts) -> true
--   client:next_message_async([timeout_ms]) -> message table | nil, "timeout: ..." | nil, "closed"
--   client:disconnect_async() -> true
--
-- Failures never raise into the loop: they reach the script as an `error` event, callback(errorCode, message) or
-- nil, err. Misuse (wrong argument types, a uri that is not mqtt(s)://host...) raises "bad argument" at the caller's
-- line (core.args).
-- Lifecycle (eplua-net/LIFECYCLE-N.md): a client has :unref(), :ref(), :detach() (and opts.system = true); it
-- belongs to the task that connected it and is closed when that task is cancelled, unless detached.
-- Test hook: client:_drop() cuts the TCP connection without DISCONNECT (as a network failure would).
local N = ...
local core = _eplua.core
local A = core.args
local argerr, raise = A.argerr, A.raise

local type, error, setmetatable, getmetatable, pcall, tostring = type, error, setmetatable, getmetatable, pcall, tostring

net = net or {}
mqtt = mqtt or {}
mqtt._VERSION = "1.0"
mqtt.QoS = { AT_MOST_ONCE = 0, AT_LEAST_ONCE = 1, EXACTLY_ONCE = 2 }

-- the events a script can listen to, by the name of the Java event that fires them ("disconnected" is EPLua's
-- name for "closed")
local EVENTS = { connected = "connected", closed = "closed", disconnected = "closed", message = "message",
  subscribed = "subscribed", unsubscribed = "unsubscribed", published = "published", error = "error" }

local check_type = A.check

local function check_qos(q, n, fname)
  if q == nil then return 0 end
  if q ~= 0 and q ~= 1 and q ~= 2 then argerr(n, fname, "qos must be 0, 1 or 2, got " .. tostring(q)) end
  return q
end

local function error_code(err)
  local c = tostring(err):match("%(code (%d+)%)")
  return c and tonumber(c) or -1
end

-- callback(0, value) on success, callback(code, message) on failure: the Fibaro convention.
local function settle(fut, cb)
  if cb == nil then return end
  core.on_settle(fut, function(ok, v)
    if ok then cb(0, v) else cb(error_code(v), v) end
  end)
end

local Client = N.class("_s", "mqtt.Client")

local function is_client(x)
  return type(x) == "table" and getmetatable(x) == Client
end

local function new_client()
  return setmetatable({ _listeners = {} }, Client)
end

local function start(self, uri, opts, fname, queue)
  check_type(uri, "string", 1, fname)
  check_type(opts, "table", 2, fname, true)
  opts = opts or {}
  check_type(opts.callback, "function", 2, fname, true)
  if opts.lastWill ~= nil then
    check_type(opts.lastWill, "table", 2, fname)
    check_type(opts.lastWill.topic, "string", 2, fname)
    check_qos(opts.lastWill.qos, 2, fname)
  end
  if self._s ~= nil then raise("MQTT client already connected") end
  local listeners = self._listeners
  -- one task per event, or per burst of messages ("messages": a list, each given to the `message` listeners);
  -- a failing listener does not stop the others; the first error is reported
  local function emit(name, data)
    local first
    local function call_all(ls, arg)
      for i = 1, #ls do
        local ok, e = pcall(ls[i], arg)
        if not ok and first == nil then first = e end
      end
    end
    if name == "messages" then
      local ls = listeners.message
      if ls == nil then return end
      for j = 1, #data do call_all(ls, data[j]) end
    else
      local ls = listeners[name]
      if ls ~= nil then call_all(ls, data) end
      if name == "closed" and listeners.disconnected ~= nil then call_all(listeners.disconnected, data) end
    end
    if first ~= nil then error(first, 0) end
  end
  if opts.system == true then self._unref = true end
  local s, bad = N.connect(uri, opts, emit)
  if s == nil then argerr(1, fname, bad) end
  self._s = N.inherit(self, s)
  for name in pairs(listeners) do N.listen(s, EVENTS[name], true) end
  if queue or opts.queue then N.queue(s, true) end
  settle(N.connected(s), opts.callback)
  return self
end

--- mqtt.Client.connect(uri, opts) -> client; also client:connect(uri, opts) on a net.MQTTClient().
function Client.connect(a, b, c)
  if is_client(a) then return start(a, b, c, "connect") end
  return start(new_client(), a, b, "connect")
end

function Client:addEventListener(name, fn)
  check_type(name, "string", 1, "addEventListener")
  if not EVENTS[name] then argerr(1, "addEventListener", "unknown event '" .. name .. "'") end
  check_type(fn, "function", 2, "addEventListener")
  local ls = self._listeners[name]
  if ls == nil then
    ls = {}
    self._listeners[name] = ls
  end
  ls[#ls + 1] = fn
  if self._s ~= nil then N.listen(self._s, EVENTS[name], true) end
end

--- client:removeEventListener(name [, fn]): removes fn, or every listener of the event.
function Client:removeEventListener(name, fn)
  local ls = self._listeners[name]
  if ls == nil then return end
  for i = #ls, 1, -1 do
    if fn == nil or ls[i] == fn then table.remove(ls, i) end
  end
  if #ls == 0 then
    self._listeners[name] = nil
    local java = EVENTS[name]
    if self._s ~= nil and java ~= nil then
      -- "closed" and "disconnected" share the Java event: it stops only when neither has listeners
      local other = name == "closed" and "disconnected" or name == "disconnected" and "closed" or nil
      if other == nil or self._listeners[other] == nil then N.listen(self._s, java, false) end
    end
  end
end

local function session(self, fname)
  if not is_client(self) then raise(("bad self to '%s' (MQTT client expected; use client:%s)"):format(fname, fname)) end
  local s = self._s
  if s == nil then raise("MQTT client is not connected (call connect first)") end
  return s
end

function Client:isConnected()
  return self._s ~= nil and N.is_connected(self._s)
end

-- the session of a call, and its options table (argument #n, may be nil) with an optional callback function
local function with_opts(self, opts, n, fname)
  local s = session(self, fname)
  check_type(opts, "table", n, fname, true)
  opts = opts or {}
  check_type(opts.callback, "function", n, fname, true)
  return s, opts
end

local function do_publish(self, topic, payload, opts, fname, want)
  local s
  s, opts = with_opts(self, opts, 3, fname)
  check_type(topic, "string", 1, fname)
  if type(payload) == "number" then payload = tostring(payload) end
  check_type(payload, "string", 2, fname, true)
  local qos = check_qos(opts.qos, 3, fname)
  return N.publish(s, topic, payload or "", qos, opts.retain == true, want or opts.callback ~= nil)
end

function Client:publish(topic, payload, opts)
  local id, fut = do_publish(self, topic, payload, opts, "publish")
  if fut ~= nil then settle(fut, opts and opts.callback) end
  return id
end

local function topic_list(topics, opts, fname)
  local qos = check_qos(opts.qos, 2, fname)
  if type(topics) == "string" then return { { topics, qos } } end
  if type(topics) ~= "table" or #topics == 0 then argerr(1, fname, "topic or list of topics expected") end
  local list = {}
  for i = 1, #topics do
    local e = topics[i]
    if type(e) == "string" then
      list[i] = { e, qos }
    elseif type(e) == "table" and type(e[1] or e.topic) == "string" then
      list[i] = { e[1] or e.topic, check_qos(e[2] or e.qos or qos, 1, fname) }
    else
      argerr(1, fname, "topic #" .. i .. " is not a string or {topic, qos}")
    end
  end
  return list
end

local function do_subscribe(self, topics, opts, fname)
  local s
  s, opts = with_opts(self, opts, 2, fname)
  return N.subscribe(s, topic_list(topics, opts, fname))
end

local function do_unsubscribe(self, topics, opts, fname)
  local s = with_opts(self, opts, 2, fname)
  local list = {}
  for i, t in ipairs(topic_list(topics, {}, fname)) do list[i] = t[1] end
  return N.unsubscribe(s, list)
end

-- the callback style of (un)subscribe: the packet id now, opts.callback(0, v) or (code, err) once the broker answered
local function acked(op, fname)
  return function(self, topics, opts)
    local id, fut = op(self, topics, opts, fname)
    settle(fut, opts and opts.callback)
    return id
  end
end

Client.subscribe = acked(do_subscribe, "subscribe")
Client.unsubscribe = acked(do_unsubscribe, "unsubscribe")

function Client:disconnect(opts)
  local s = session(self, "disconnect")
  check_type(opts, "table", 1, "disconnect", true)
  local fut = N.disconnect(s)
  settle(fut, opts and opts.callback)
end

-- task style -----------------------------------------------------------------------------------------------------

function Client:publish_async(topic, payload, opts)
  local id, fut = do_publish(self, topic, payload, opts, "publish_async", true)
  local v, err = core.try_await(fut)
  if v == nil then return nil, err end
  return id
end

function Client:subscribe_async(topics, opts)
  local _, fut = do_subscribe(self, topics, opts, "subscribe_async")
  local v, err = core.try_await(fut)
  if v == nil then return nil, err end
  return v.results
end

function Client:unsubscribe_async(topics, opts)
  local _, fut = do_unsubscribe(self, topics, opts, "unsubscribe_async")
  local v, err = core.try_await(fut)
  if v == nil then return nil, err end
  return true
end

function Client:next_message_async(timeout_ms)
  local s = session(self, "next_message_async")
  return core.try_await(N.next_message(s, A.check_ms(timeout_ms, 1, "next_message_async")))
end

function Client:disconnect_async()
  local s = session(self, "disconnect_async")
  core.try_await(N.disconnect(s))
  return true
end

--- test hook: cut the connection without DISCONNECT
function Client:_drop()
  N.drop(session(self, "_drop"))
end

mqtt.Client = Client

--- mqtt.connect_async(uri, opts) -> client (connected, message queue on) | nil, err
function mqtt.connect_async(uri, opts)
  local client = start(new_client(), uri, opts, "connect_async", true)
  local v, err = core.try_await(N.connected(client._s))
  if v == nil then return nil, err end
  return client
end

--- net.MQTTClient(): an unconnected client; :connect(uri, opts) connects it (EPLua's spelling).
function net.MQTTClient()
  return new_client()
end
