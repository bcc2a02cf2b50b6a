-- eplua tcp: net.TCPSocket / net.TCPServer (callback style, EPLua/Fibaro) and create_tcp_socket() /
-- create_tcp_server() (task style, SignaKit), over the primitives in _eplua.tcp (passed as ...).
-- Contract: shared/design/LUA_API.md. Network failures never raise: callback style calls cb.error(err), task style
-- returns nil, err; err starts with a word of the net vocabulary (README, "Network errors"): "timeout", "closed",
-- "refused", "reset", "resolve", "unreachable", "too large", "bind", "denied", "io". Misuse (wrong types, bad ports)
-- raises "bad argument" errors at the caller's line (core.args).
--
-- Lifecycle (eplua-net/LIFECYCLE-N.md): every socket and server has :unref(), :ref(), :detach() (and
-- {system = true} in its options); a socket or server belongs to the task that opened it (or took it with
-- accept_async) and is closed when that task is cancelled, unless detached. net.TCPServer():start(nil, port)
-- listens on 127.0.0.1 (EPLua).
--
-- SignaKit's blocking-style calls on create_tcp_socket() objects: sock:connect(host, port), sock:send(data),
-- sock:receive([pattern]) suspend the running task exactly as connect_async, send_async and receive_async do. After
-- sock:set_non_blocking(true) they never suspend:
--   receive([n | "*l" | "*a"]) -> what the pattern wants if it has arrived already (up to n bytes; a whole line;
--       everything once the peer closed), else nil, "timeout"; once the stream ended and nothing is left, nil,
--       "closed" (or the error that ended it, or the failed connect's error)
--   send(data) -> #data at once (queued in order; a failure ends the connection and shows at the next call)
--   connect(host, port) -> true at once, the connect going on; sock:is_connected() turns true when it succeeded,
--       and a failure shows at the next receive/send (nil, "refused: ...")
-- sock:is_connected() is true while connected (is_open() also while connecting).
local N = ...
-- the hot primitives, as upvalues: a read or write and its await (task style) or its callbacks, in one call each
local N_read_async, N_write_async = N.read_async, N.write_async
local N_read_cb, N_write_cb = N.read_cb, N.write_cb
local core = _eplua.core
local inherit = N.inherit
local N_read_now, N_write_now = N.read_now, N.write_now
local try_await = core.try_await
local type, setmetatable, tonumber, tostring, math_floor = type, setmetatable, tonumber, tostring, math.floor

net = net or {}

local A = core.args
local argerr, check, check_host, check_port, check_data, check_cb, check_ms, settle =
  A.argerr, A.check, A.check_host, A.check_port, A.check_data, A.check_cb, A.check_ms, A.settle

local function fail_later(cb, err)
  if cb and cb.error then spawn(cb.error, err) end
end

---------------------------------------------------------------------------------------------------------------
-- callback style: net.TCPSocket([opts{timeout(ms)}])
---------------------------------------------------------------------------------------------------------------
local TCPSocket = N.class("_s", "TCPSocket")

function net.TCPSocket(opts)
  check(opts, "table", 1, "TCPSocket", true)
  local ms = check_ms(opts and opts.timeout, 1, "TCPSocket")
  return setmetatable({ _timeout = ms, _unref = N.system(opts) }, TCPSocket)
end

local function wrap_cb_socket(sock, timeout)
  return setmetatable({ _s = sock, _timeout = timeout or 0 }, TCPSocket)
end

--- sock:connect(ip, port, cb): cb.success() once connected, cb.error(err) otherwise.
function TCPSocket:connect(ip, port, cb)
  check_host(ip, 1, "connect")
  port = check_port(port, 2, "connect")
  check_cb(cb, 3, "connect")
  if self._s then N.close(self._s) end
  local s, fut = N.connect(ip, port, self._timeout)
  self._s = inherit(self, s)
  settle(fut, cb and { success = cb.success and function() cb.success() end, error = cb.error })
end

--- sock:read(cb): cb.success(data) with whatever bytes arrived (at least one).
function TCPSocket:read(cb)
  if type(cb) ~= "table" then check_cb(cb, 1, "read") end -- (checks inline on the hot paths: a call less each)
  if not self._s then return fail_later(cb, "closed: not connected") end
  N_read_cb(self._s, "a", nil, self._timeout, cb and cb.success, cb and cb.error)
end

--- sock:readUntil(delim, cb): cb.success(data) with the bytes before delim (delim consumed, not returned).
function TCPSocket:readUntil(delim, cb)
  if type(delim) ~= "string" or delim == "" then argerr(1, "readUntil", "non-empty string expected") end
  check_cb(cb, 2, "readUntil")
  if not self._s then return fail_later(cb, "closed: not connected") end
  N_read_cb(self._s, "u", delim, self._timeout, cb and cb.success, cb and cb.error)
end

--- sock:send(data, cb) / sock:write(data, cb): cb.success(bytes) once flushed.
function TCPSocket:send(data, cb)
  if type(data) ~= "string" then data = check_data(data, 1, "send") end
  if cb ~= nil and type(cb) ~= "table" then check_cb(cb, 2, "send") end
  if not self._s then return fail_later(cb, "closed: not connected") end
  N_write_cb(self._s, data, cb and cb.success, cb and cb.error)
end
TCPSocket.write = TCPSocket.send

--- sock:close(): pending reads fail with "closed".
function TCPSocket:close()
  if self._s then N.close(self._s) end
end

--- sock:isOpen() -> boolean
function TCPSocket:isOpen()
  return self._s ~= nil and N.is_open(self._s)
end

--- sock:getPeer() -> ip, port (or nil)
function TCPSocket:getPeer()
  if self._s then return N.peer(self._s) end
end

-- both servers' listen: a fresh listener (on_accept(s, ip, port) for each client, or nil: accept_async takes
-- them), inheriting the server's lifetime flags -> bound port | nil, err
local function listen(self, host, port, on_accept)
  local l, fut = N.listen(host, port, on_accept)
  inherit(self, l)
  local bound, err = try_await(fut)
  if not bound then return nil, err end
  self._l = l
  self.port = bound
  return bound
end

-- both servers' stop: stops accepting (connected clients stay open); called from a task, it returns once the port
-- is closed, so that a connect made after it is refused
local function stop_listening(self)
  local l = self._l
  if l then
    self._l = nil
    N.stopped(N.server_stop(l))
  end
end

---------------------------------------------------------------------------------------------------------------
-- callback style: net.TCPServer():start(host, port, fn(client, ip, port)) -> bound port; :stop()
---------------------------------------------------------------------------------------------------------------
local TCPServer = N.class("_l", "TCPServer")

function net.TCPServer(opts)
  check(opts, "table", 1, "TCPServer", true)
  return setmetatable({ _timeout = check_ms(opts and opts.timeout, 1, "TCPServer"), _unref = N.system(opts) },
    TCPServer)
end

--- server:start(host, port, fn(client, ip, port)) -> bound port, or nil, err. Every client is accepted. A nil host
--- listens on 127.0.0.1 (EPLua).
function TCPServer:start(host, port, fn)
  if host == nil then host = "127.0.0.1" end
  check_host(host, 1, "start")
  port = check_port(port, 2, "start", true)
  check(fn, "function", 3, "start")
  if self._l then self:stop() end
  local timeout = self._timeout
  return listen(self, host, port, function(s, ip, p) return fn(wrap_cb_socket(s, timeout), ip, p) end)
end

--- server:stop(): stops accepting; connected clients stay open. Called from a task (always, in practice), it returns
--- once the port is closed: a connect made after it is refused.
TCPServer.stop = stop_listening

---------------------------------------------------------------------------------------------------------------
-- task style: create_tcp_socket()
---------------------------------------------------------------------------------------------------------------
local Sock = N.class("_s", "tcp_socket")

local function wrap_task_socket(s, timeout)
  return setmetatable({ _s = s, _timeout = timeout or 0 }, Sock)
end

--- create_tcp_socket([opts{system}]) -> an unconnected socket
function create_tcp_socket(opts)
  check(opts, "table", 1, "create_tcp_socket", true)
  return setmetatable({ _timeout = 0, _unref = N.system(opts) }, Sock)
end

--- sock:set_non_blocking(flag) -> true: connect, send and receive never suspend (see the top of this file).
Sock.set_non_blocking = N.set_non_blocking

--- sock:settimeout(seconds) -> true: for connect and every read; nil or negative means none.
Sock.settimeout = N.settimeout

local function connect(self, host, port, fname)
  check_host(host, 1, fname)
  port = check_port(port, 2, fname)
  if self._s then N.close(self._s) end
  local s, fut = N.connect(host, port, self._timeout)
  self._s = inherit(self, s)
  return fut
end

--- sock:connect_async(host, port) -> true | nil, err
function Sock:connect_async(host, port)
  return try_await(connect(self, host, port, "connect_async"))
end

--- sock:connect(host, port) -> true | nil, err: as connect_async; non-blocking, true at once (the connect goes on).
function Sock:connect(host, port)
  local fut = connect(self, host, port, "connect")
  if self._nb then return true end
  return try_await(fut)
end

--- sock:send_async(data) -> bytes sent | nil, err. Returns at once while the socket's outbound buffer is small
--- (under 256 KiB queued), else once the bytes were flushed: a fast writer is held back (backpressure).
function Sock:send_async(data)
  if type(data) ~= "string" then data = check_data(data, 1, "send_async") end
  if not self._s then return nil, "closed: not connected" end
  return N_write_async(self._s, data)
end

--- sock:send(data) -> bytes | nil, err: as send_async; non-blocking, the bytes are queued and counted at once.
function Sock:send(data)
  if type(data) ~= "string" then data = check_data(data, 1, "send") end
  if not self._s then return nil, "closed: not connected" end
  if self._nb then return N_write_now(self._s, data) end
  return N_write_async(self._s, data)
end

-- a receive pattern as a read mode and its argument (nil mode: n == 0, answered "" at once)
local function read_mode(pattern, fname)
  if pattern == nil then return "a" end
  if type(pattern) == "number" then
    if pattern < 0 or pattern ~= math_floor(pattern) then argerr(1, fname, "byte count must be a non-negative integer") end
    if pattern == 0 then return nil end
    return "n", pattern
  elseif pattern == "*l" or pattern == "l" then
    return "l"
  elseif pattern == "*a" or pattern == "a" then
    return "e"
  end
  argerr(1, fname, "number, '*l' or '*a' expected, got " .. tostring(pattern))
end

--- sock:receive_async([n | "*l" | "*a"]) -> data | nil, err. n: up to n bytes, as soon as any are there; "*l": a
--- line without its newline; "*a": everything until the peer closes; no argument: whatever is available (at least
--- one byte). At the end of the stream the bytes received so far come first (a last line without its newline too),
--- then nil, "closed".
function Sock:receive_async(pattern)
  local mode, arg = read_mode(pattern, "receive_async")
  if not self._s then return nil, "closed: not connected" end
  if mode == nil then return "" end
  return N_read_async(self._s, mode, arg, self._timeout)
end

--- sock:receive([n | "*l" | "*a"]) -> data | nil, err: as receive_async; non-blocking, what has arrived or nil,
--- "timeout" at once.
function Sock:receive(pattern)
  local mode, arg = read_mode(pattern, "receive")
  if not self._s then return nil, "closed: not connected" end
  if mode == nil then return "" end
  if self._nb then return N_read_now(self._s, mode, arg) end
  return N_read_async(self._s, mode, arg, self._timeout)
end

--- sock:close() -> true
Sock.close = N.close_socket

--- sock:is_open() -> boolean: connected or connecting
Sock.is_open = TCPSocket.isOpen

--- sock:is_connected() -> boolean: connected (and not closed)
function Sock:is_connected()
  return self._s ~= nil and N.is_connected(self._s)
end

--- sock:getpeername() -> ip, port
Sock.getpeername = TCPSocket.getPeer

--- sock:getsockname() -> ip, port
Sock.getsockname = N.getsockname

---------------------------------------------------------------------------------------------------------------
-- task style: create_tcp_server()
---------------------------------------------------------------------------------------------------------------
local Server = N.class("_l", "tcp_server")

--- create_tcp_server([opts{system}]) -> a server, not listening yet
function create_tcp_server(opts)
  check(opts, "table", 1, "create_tcp_server", true)
  return setmetatable({ _timeout = 0, _unref = N.system(opts) }, Server)
end

--- server:settimeout(seconds): for accept_async; nil or negative means none.
Server.settimeout = N.settimeout

--- server:listen(host, port) -> bound port | nil, err
function Server:listen(host, port)
  check_host(host, 1, "listen")
  port = check_port(port, 2, "listen", true)
  if self._l then N.server_stop(self._l) end
  return listen(self, host, port)
end

--- server:accept_async() -> task-style socket | nil, err. The socket belongs to the task that took it.
function Server:accept_async()
  if not self._l then return nil, "closed: not listening" end
  local s, err = try_await(N.accept(self._l, self._timeout))
  if not s then return nil, err end
  N.adopt(s)
  return wrap_task_socket(s, 0)
end

--- server:close(): stops listening; accepted sockets stay open. From a task it returns once the port is closed (a
--- connect made after it is refused), as net.TCPServer's stop() does.
function Server:close()
  stop_listening(self)
  return true
end
