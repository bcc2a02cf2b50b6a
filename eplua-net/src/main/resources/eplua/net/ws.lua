-- eplua websocket: WebSocket client and server, over the Java primitives in _eplua.websocket (passed as ...).
--
-- Client, callback style (EPLua / Fibaro names):
--   ws = net.WebSocketClient([opts])  or  net.WebSocketClientTls([opts])   (the same; the url's ws:// or wss://
--        decides). opts: headers, timeout (ms, connect + handshake, default 30000), checkCertificate (default
--        true: chain and host name), caFile (PEM), maxMessageSize (bytes, default 16 MiB)
--   ws:addEventListener(name, fn)   name: "connected" (), "disconnected" (), "error" (err),
--                                   "dataReceived" (data, isBinary)
--   ws:connect(url [, headers])     events tell the outcome; headers add to opts.headers
--   ws:send(data [, {binary=true} | {text=true}]) -> true, or false, err when not open (a write that fails later
--       is an "error" event)
--       without an option, data goes as a text frame when it is valid UTF-8 and as a binary frame otherwise
--   ws:isOpen() -> boolean;  ws:close() (close frame 1000, then the connection closes)
--
-- Client, task style (suspend the running task; return value or nil, err):
--   ws:connect_async(url [, headers]) -> true      (messages are buffered from then on)
--   ws:receive_async([timeout_ms])    -> data, isBinary   ("timeout" leaves the socket usable; "closed" at the end)
--   ws:send_async(data [, opts])      -> true
--
-- Server, callback style:
--   srv = net.WebSocketServer([opts] [, background])   opts: cert, key (PEM paths: wss), maxMessageSize, system;
--        background = true (EPLua) or opts.system: the server and its clients do not keep the engine alive;
--        handshakeTimeout (ms from
--        accept to a completed upgrade, default 10000: then 408 and close; 0: none), maxHeaderSize and maxHeaders of
--        the upgrade request (as net.HTTPServer: 431 and close); anything but an upgrade request gets 400 and close
--   srv:start(host, port, {started(port), connected(cid, path), disconnected(cid), receive(cid, data, isBinary),
--                          error(err [, cid])}) -> bound port, or nil, err (also given to error); host nil: 127.0.0.1
--   srv:send(cid, data [, opts]) -> true, or false, err (and an error event) for an unknown or closed client;
--   srv:close(cid);  srv:getClients() -> {cid...}
--   srv:stop() (closes every client; from a task it returns once the port is closed);  srv:isRunning()
--
-- Server, task style: start without the handler table; every connection is then an object like a client.
--   srv:start(host, port) -> bound port
--   srv:accept_async([timeout_ms]) -> conn        conn.id, conn:receive_async([ms]), conn:send_async(data [, opts]),
--                                                 conn:send(data [, opts]), conn:isOpen(), conn:close()
--   srv:send_async(cid, data [, opts]) -> true
--
-- Lifecycle (eplua-net/LIFECYCLE-N.md): clients, servers and server connections have :unref(), :ref(), :detach()
-- (and {system = true} in their options); a server's unref covers its connections. A client belongs to the task
-- that connected it, a server to the task that started it, a connection to the task that took it with accept_async:
-- cancelling that task closes it, unless detached; a task cancelled in connect_async aborts the connect.
--
-- Pings are answered and close frames handled by Netty. A message larger than maxMessageSize closes that
-- connection (status 1009) with a "too large" error; the loop and the other connections live on.
-- Errors start with a word of the net vocabulary (README, "Network errors"): "timeout", "refused", "reset", "closed",
-- "resolve", "unreachable", "tls", "protocol" (e.g. the handshake was rejected), "too large", "bind", "io". A url that
-- is not ws(s)://host..., or connecting a client that is connected, is misuse: it raises at the caller's line.
local N = ...
local core = _eplua.core
local A = core.args
local check, check_data, check_ms, argerr = A.check, A.check_data, A.check_ms, A.argerr

net = net or {}

local type, setmetatable, tostring, tonumber, pairs, next = type, setmetatable, tostring, tonumber, pairs, next

local function mode_of(opts, n, fname)
  if opts == nil then return 0 end
  check(opts, "table", n, fname)
  if opts.binary then return 2 end
  if opts.text then return 1 end
  return 0
end

local function merged(a, b)
  if a == nil and b == nil then return nil end
  local t = {}
  for k, v in pairs(a or {}) do t[k] = v end
  for k, v in pairs(b or {}) do t[k] = v end
  return t
end

-- ---- connection methods shared by clients and server-side connections ------------------------------------------

local function receive_async(c, ms)
  ms = check_ms(ms, 1, "receive_async")
  if c == nil then return nil, "closed: websocket is not open" end
  return core.try_await(N.receive(c, ms))
end

local function send_async(c, data, opts)
  data = check_data(data, 1, "send_async")
  local mode = mode_of(opts, 2, "send_async")
  if c == nil then return nil, "closed: websocket is not open" end
  return core.try_await(N.send(c, data, mode, false))
end

-- ---- client -----------------------------------------------------------------------------------------------------

local Client = N.class("_c")

local function new_client(opts, fname)
  check(opts, "table", 1, fname, true)
  local self = setmetatable({ opts = opts or {}, listeners = {}, _unref = N.system(opts) }, Client)
  local listeners = self.listeners
  self._sink = function(event, ...)
    local ls = listeners[event]
    if ls then for i = 1, #ls do ls[i](...) end end
  end
  return self
end

--- net.WebSocketClient([opts]) -> client
function net.WebSocketClient(opts) return new_client(opts, "WebSocketClient") end
--- net.WebSocketClientTls([opts]) -> client (same as WebSocketClient; use a wss:// url)
function net.WebSocketClientTls(opts) return new_client(opts, "WebSocketClientTls") end

--- ws:addEventListener(name, fn): several listeners per event run in the order added.
function Client:addEventListener(name, fn)
  check(name, "string", 1, "addEventListener")
  check(fn, "function", 2, "addEventListener")
  local ls = self.listeners[name]
  if not ls then ls = {}; self.listeners[name] = ls end
  ls[#ls + 1] = fn
  if self._c then N.set_sink(self._c, self._sink) end
end

--- ws:removeEventListener(name [, fn]): removes fn, or every listener of the event.
function Client:removeEventListener(name, fn)
  local ls = self.listeners[name]
  if not ls then return end
  for i = #ls, 1, -1 do if fn == nil or ls[i] == fn then table.remove(ls, i) end end
end

local function start_connect(self, url, headers, buffering, fname)
  check(url, "string", 1, fname)
  check(headers, "table", 2, fname, true)
  if self._c and N.is_active(self._c) then A.raise(fname .. ": websocket already connected or connecting") end
  local o = self.opts
  local c = N.inherit(self, N.client_new(next(self.listeners) and self._sink or nil))
  local fut, bad = N.connect(c, url, merged(o.headers, headers), o.checkCertificate ~= false, o.caFile,
    tonumber(o.timeout) or 0, buffering, tonumber(o.maxMessageSize) or 0)
  if fut == nil then argerr(1, fname, bad) end
  self._c = c
  return fut
end

--- ws:connect(url [, headers]): callback style; "connected" or "error" follows.
function Client:connect(url, headers)
  start_connect(self, url, headers, false, "connect")
end

--- ws:connect_async(url [, headers]) -> true or nil, err
function Client:connect_async(url, headers)
  return core.try_await(start_connect(self, url, headers, true, "connect_async"))
end

--- ws:send(data [, opts]) -> true, or false, err when not open; a later write failure is an "error" event
function Client:send(data, opts)
  data = check_data(data, 1, "send")
  local mode = mode_of(opts, 2, "send")
  if not self._c or not N.is_open(self._c) then return false, "closed: websocket is not open" end
  N.send(self._c, data, mode, true)
  return true
end

--- ws:send_async(data [, opts]) -> true or nil, err
function Client:send_async(data, opts)
  return send_async(self._c, data, opts)
end

--- ws:receive_async([timeout_ms]) -> data, isBinary or nil, err
function Client:receive_async(ms)
  return receive_async(self._c, ms)
end

function Client:isOpen()
  return self._c ~= nil and N.is_open(self._c)
end

function Client:close()
  if self._c then N.close(self._c) end
end

-- ---- server -----------------------------------------------------------------------------------------------------

local Conn = N.class("_c")

local function wrap_conn(c)
  return setmetatable({ _c = c, id = N.conn_id(c) }, Conn)
end

function Conn:receive_async(ms) return receive_async(self._c, ms) end
function Conn:send_async(data, opts) return send_async(self._c, data, opts) end
function Conn:send(data, opts)
  data = check_data(data, 1, "send")
  local mode = mode_of(opts, 2, "send")
  if not N.is_open(self._c) then return false, "closed: websocket is not open" end
  N.send(self._c, data, mode, false)
  return true
end
function Conn:isOpen() return N.is_open(self._c) end
function Conn:close() N.close(self._c) end

local Server = N.class("_s")

-- server options that must be numbers (Java reads them, HttpLimits)
local SERVER_LIMITS = { "maxMessageSize", "handshakeTimeout", "maxHeaderSize", "maxHeaders" }

--- net.WebSocketServer([opts] [, background]) -> server (not listening yet); background (EPLua) = opts.system
function net.WebSocketServer(opts, background)
  check(opts, "table", 1, "WebSocketServer", true)
  opts = opts or {}
  if (opts.cert == nil) ~= (opts.key == nil) then argerr(1, "WebSocketServer", "cert and key go together") end
  for _, k in ipairs(SERVER_LIMITS) do
    local v = opts[k]
    if v ~= nil and tonumber(v) == nil then argerr(1, "WebSocketServer", k .. ": number expected, got " .. type(v)) end
  end
  return setmetatable({ opts = opts, _unref = background == true or N.system(opts) }, Server)
end

--- srv:start(host, port [, handlers]) -> bound port, or nil, err. A nil host listens on 127.0.0.1.
function Server:start(host, port, handlers)
  if host == nil then host = "127.0.0.1" end
  A.check_host(host, 1, "start")
  port = A.check_port(port, 2, "start", true)
  check(handlers, "table", 3, "start", true)
  if self._s and N.server_running(self._s) then A.raise("server already started") end
  local sink = nil
  if handlers then
    sink = function(event, ...)
      local f = handlers[event]
      if f then f(...) end
    end
  end
  local o = self.opts
  local srv, err = N.server_new(sink, handlers == nil, o.cert, o.key, tonumber(o.maxMessageSize) or 0, o)
  local bound
  if srv then
    self._s = N.inherit(self, srv)
    bound, err = core.try_await(N.server_start(srv, host, port))
  end
  if bound == nil and handlers and handlers.error then handlers.error(err) end
  if bound == nil then return nil, err end
  return bound
end

local function check_server(self, fname)
  if not self._s then A.raise(("'%s': server not started"):format(fname)) end
  return self._s
end

--- srv:send(cid, data [, opts]) -> true, or false, err for an unknown or closed client (an "error" event too)
function Server:send(cid, data, opts)
  local s = check_server(self, "send")
  check(cid, "number", 1, "send")
  data = check_data(data, 2, "send")
  return N.server_post(s, cid, data, mode_of(opts, 3, "send"))
end

--- srv:send_async(cid, data [, opts]) -> true or nil, err
function Server:send_async(cid, data, opts)
  local s = check_server(self, "send_async")
  check(cid, "number", 1, "send_async")
  return core.try_await(N.server_send(s, cid, check_data(data, 2, "send_async"), mode_of(opts, 3, "send_async"), false))
end

--- srv:accept_async([timeout_ms]) -> conn or nil, err (task-style servers only)
function Server:accept_async(ms)
  local s = check_server(self, "accept_async")
  local c, err = core.try_await(N.server_accept(s, check_ms(ms, 1, "accept_async")))
  if c == nil then return nil, err end
  N.adopt(c)
  return wrap_conn(c)
end

--- srv:close(cid): close one client's connection -> true if it existed
function Server:close(cid)
  return N.server_close_client(check_server(self, "close"), cid)
end
Server.closeClient = Server.close

--- srv:getClients() -> list of connected client ids
function Server:getClients()
  if not self._s then return {} end
  return N.server_clients(self._s)
end

--- srv:stop(): stop listening and close every client (idempotent); srv:isRunning() -> boolean.
N.server_methods(Server, "_s")
