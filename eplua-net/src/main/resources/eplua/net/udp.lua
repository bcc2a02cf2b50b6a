-- eplua udp: net.UDPSocket (callback style, EPLua/Fibaro) and create_udp_socket() (task style, SignaKit), over the
-- primitives in _eplua.udp (passed as ...). Contract: shared/design/LUA_API.md. Network failures never raise
-- (cb.error(err) / nil, err with err starting with a word of the net vocabulary, README, "Network errors": "timeout",
-- "closed", "resolve", "bind", "denied", "unreachable", "io"); misuse raises "bad argument" errors at the caller's line
-- (core.args).
--
-- Lifecycle (eplua-net/LIFECYCLE-N.md): every socket has :unref(), :ref(), :detach() (and {system = true} in its
-- options); it belongs to the task that opened it (bind, or the first send or receive) and is closed when that task
-- is cancelled, unless detached. An unref'd socket's pending receive(cb) does not keep the engine alive.
--
-- SignaKit's udp:receive() on create_udp_socket() objects suspends the running task as receive_async does; after
-- udp:set_non_blocking(true) it returns at once: data, ip, port if a datagram has arrived, else nil, "timeout".
local N = ...
local core = _eplua.core
local try_await = core.try_await
local type, setmetatable, tonumber, tostring = type, setmetatable, tonumber, tostring

net = net or {}

local A = core.args
local argerr, check, check_host, check_port, check_data, check_cb, settle =
  A.argerr, A.check, A.check_host, A.check_port, A.check_data, A.check_cb, A.settle

-- opens (binds) a socket: bound port, or nil, err
local function open(self, host, port)
  local s, fut = N.open(host, port, self._broadcast)
  N.inherit(self, s)
  local bound, err = try_await(fut)
  if not bound then return nil, err end
  self._s = s
  return bound
end

-- opens the socket on first use (any local port) when the script sends or receives before bind
local function ensure(self)
  if self._s then return true end
  return open(self, "0.0.0.0", 0)
end

-- ensure for the callback style: false, with cb.error(err) scheduled, when the socket could not be opened
local function ensure_cb(self, cb)
  local ok, err = ensure(self)
  if not ok and cb and cb.error then spawn(cb.error, err) end
  return ok
end

local function bind(self, host, port, fname)
  check_host(host, 1, fname)
  port = check_port(port, 2, fname, true)
  if self._s then N.close(self._s); self._s = nil end
  return open(self, host, port)
end

---------------------------------------------------------------------------------------------------------------
-- callback style: net.UDPSocket([opts{broadcast, timeout(ms)}])
---------------------------------------------------------------------------------------------------------------
local UDPSocket = N.class("_s", "UDPSocket")

--- net.UDPSocket([opts{broadcast, timeout(ms), system}])
function net.UDPSocket(opts)
  check(opts, "table", 1, "UDPSocket", true)
  local ms = A.check_ms(opts and opts.timeout, 1, "UDPSocket")
  return setmetatable({ _broadcast = opts ~= nil and opts.broadcast == true, _timeout = ms, _unref = N.system(opts) },
    UDPSocket)
end

--- sock:bind(host, port) -> bound port | nil, err (port 0: any free port)
function UDPSocket:bind(host, port)
  return bind(self, host, port, "bind")
end

--- sock:sendTo(data, ip, port, cb): cb.success(bytes) once sent, cb.error(err) otherwise.
function UDPSocket:sendTo(data, ip, port, cb)
  data = check_data(data, 1, "sendTo")
  check_host(ip, 2, "sendTo")
  port = check_port(port, 3, "sendTo")
  check_cb(cb, 4, "sendTo")
  if not ensure_cb(self, cb) then return end
  settle(N.send(self._s, data, ip, port), cb)
end

--- sock:send(host, port, data, cb): sendTo in EPLua's argument order.
function UDPSocket:send(host, port, data, cb)
  check_host(host, 1, "send")
  port = check_port(port, 2, "send")
  data = check_data(data, 3, "send")
  check_cb(cb, 4, "send")
  return self:sendTo(data, host, port, cb)
end

--- sock:receive(cb): cb.success(data, ip, port) with the next datagram; cb.error("timeout") after
--- opts.timeout ms.
function UDPSocket:receive(cb)
  check_cb(cb, 1, "receive")
  if not ensure_cb(self, cb) then return end
  if cb ~= nil then N.receive_cb(self._s, self._timeout, cb.success, cb.error) end
end

--- sock:close(): pending receives fail with "closed".
function UDPSocket:close()
  if self._s then N.close(self._s) end
end

--- sock:getsockname() -> ip, port
UDPSocket.getsockname = N.getsockname

---------------------------------------------------------------------------------------------------------------
-- task style: create_udp_socket([opts{broadcast}])
---------------------------------------------------------------------------------------------------------------
local Sock = N.class("_s", "udp_socket")

--- create_udp_socket([opts{broadcast, system}])
function create_udp_socket(opts)
  check(opts, "table", 1, "create_udp_socket", true)
  return setmetatable({ _broadcast = opts ~= nil and opts.broadcast == true, _timeout = 0, _unref = N.system(opts) },
    Sock)
end

--- sock:set_non_blocking(flag) -> true: receive() returns at once (see the top of this file).
Sock.set_non_blocking = N.set_non_blocking

--- sock:bind(host, port) -> bound port | nil, err
function Sock:bind(host, port)
  return bind(self, host, port, "bind")
end

--- sock:setoption("broadcast", bool): before bind / first send.
function Sock:setoption(name, value)
  if name ~= "broadcast" then argerr(1, "setoption", "unknown option " .. tostring(name)) end
  self._broadcast = value == true
  return true
end

--- sock:settimeout(seconds) -> true: for receive_async; nil or negative means none.
Sock.settimeout = N.settimeout

--- sock:receive_async() -> data, ip, port | nil, err
function Sock:receive_async()
  local ok, err = ensure(self)
  if not ok then return nil, err end
  return try_await(N.receive(self._s, self._timeout))
end

--- sock:receive() -> data, ip, port | nil, err: as receive_async; non-blocking, a queued datagram or nil, "timeout".
function Sock:receive()
  local ok, err = ensure(self)
  if not ok then return nil, err end
  if self._nb then return N.receive_now(self._s) end
  return try_await(N.receive(self._s, self._timeout))
end

--- sock:send_to_async(data, host, port) -> bytes | nil, err
function Sock:send_to_async(data, host, port)
  data = check_data(data, 1, "send_to_async")
  check_host(host, 2, "send_to_async")
  port = check_port(port, 3, "send_to_async")
  local ok, err = ensure(self)
  if not ok then return nil, err end
  return try_await(N.send(self._s, data, host, port))
end

--- sock:close() -> true
Sock.close = N.close_socket

--- sock:getsockname() -> ip, port
Sock.getsockname = UDPSocket.getsockname
