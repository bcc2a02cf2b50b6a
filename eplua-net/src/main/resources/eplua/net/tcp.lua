-- eplua tcp: net.TCPSocket / net.TCPServer (callback style, EPLua/Fibaro) and create_tcp_socket() /
-- create_tcp_server() (task style, SignaKit), over the primitives in _eplua.tcp (passed as ...).
-- Contract: shared/design/LUA_API.md. Network failures never raise: callback style calls cb.error(err), task style
-- returns nil, err; err starts with a word of the net vocabulary (eplua-net/ERRORS.md): "timeout", "closed",
-- "refused", "reset", "resolve", "unreachable", "too large", "bind", "denied", "io". Misuse (wrong types, bad ports)
-- raises "bad argument" errors at the caller's line (core.args).
local N = ...
-- the hot primitives, as upvalues: a read or write and its await (task style) or its callbacks, in one call each
local N_read_async, N_write_async = N.read_async, N.write_async
local N_read_cb, N_write_cb = N.read_cb, N.write_cb
local core = _eplua.core
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
local TCPSocket = {}
TCPSocket.__index = TCPSocket
TCPSocket.__name = "TCPSocket"

function net.TCPSocket(opts)
  check(opts, "table", 1, "TCPSocket", true)
  local ms = check_ms(opts and opts.timeout, 1, "TCPSocket")
  return setmetatable({ _timeout = ms }, TCPSocket)
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
  self._s = s
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

---------------------------------------------------------------------------------------------------------------
-- callback style: net.TCPServer():start(host, port, fn(client, ip, port)) -> bound port; :stop()
---------------------------------------------------------------------------------------------------------------
local TCPServer = {}
TCPServer.__index = TCPServer
TCPServer.__name = "TCPServer"

function net.TCPServer(opts)
  check(opts, "table", 1, "TCPServer", true)
  return setmetatable({ _timeout = check_ms(opts and opts.timeout, 1, "TCPServer") }, TCPServer)
end

--- server:start(host, port, fn(client, ip, port)) -> bound port, or nil, err. Every client is accepted.
function TCPServer:start(host, port, fn)
  check_host(host, 1, "start")
  port = check_port(port, 2, "start", true)
  check(fn, "function", 3, "start")
  if self._l then self:stop() end
  local timeout = self._timeout
  local l, fut = N.listen(host, port, function(s, ip, p) return fn(wrap_cb_socket(s, timeout), ip, p) end)
  local bound, err = try_await(fut)
  if not bound then return nil, err end
  self._l = l
  self.port = bound
  return bound
end

--- server:stop(): stops accepting; connected clients stay open.
function TCPServer:stop()
  if self._l then
    N.server_close(self._l)
    self._l = nil
  end
end

---------------------------------------------------------------------------------------------------------------
-- task style: create_tcp_socket()
---------------------------------------------------------------------------------------------------------------
local Sock = {}
Sock.__index = Sock
Sock.__name = "tcp_socket"

local function wrap_task_socket(s, timeout)
  return setmetatable({ _s = s, _timeout = timeout or 0 }, Sock)
end

function create_tcp_socket()
  return setmetatable({ _timeout = 0 }, Sock)
end

--- sock:settimeout(seconds): for connect and every read; nil or negative means none.
function Sock:settimeout(seconds)
  self._timeout = A.check_seconds(seconds, 1, "settimeout")
  return true
end

--- sock:connect_async(host, port) -> true | nil, err
function Sock:connect_async(host, port)
  check_host(host, 1, "connect_async")
  port = check_port(port, 2, "connect_async")
  if self._s then N.close(self._s) end
  local s, fut = N.connect(host, port, self._timeout)
  self._s = s
  return try_await(fut)
end

--- sock:send_async(data) -> bytes sent | nil, err. Returns at once while the socket's outbound buffer is small
--- (under 64 KiB queued), else once the bytes were flushed: a fast writer is held back (backpressure).
function Sock:send_async(data)
  if type(data) ~= "string" then data = check_data(data, 1, "send_async") end
  if not self._s then return nil, "closed: not connected" end
  return N_write_async(self._s, data)
end

--- sock:receive_async([n | "*l" | "*a"]) -> data | nil, err. n: exactly n bytes; "*l": a line without its
--- newline; "*a": everything until the peer closes; no argument: whatever is available (at least one byte).
function Sock:receive_async(pattern)
  local mode, arg = "a", nil
  if type(pattern) == "number" then
    if pattern < 0 or pattern ~= math_floor(pattern) then argerr(1, "receive_async", "byte count must be a non-negative integer") end
    mode, arg = "n", pattern
  elseif pattern == "*l" or pattern == "l" then
    mode = "l"
  elseif pattern == "*a" or pattern == "a" then
    mode = "e"
  elseif pattern ~= nil then
    argerr(1, "receive_async", "number, '*l' or '*a' expected, got " .. tostring(pattern))
  end
  if not self._s then return nil, "closed: not connected" end
  return N_read_async(self._s, mode, arg, self._timeout)
end

--- sock:close()
function Sock:close()
  if self._s then N.close(self._s) end
  return true
end

--- sock:is_open() -> boolean
function Sock:is_open()
  return self._s ~= nil and N.is_open(self._s)
end

--- sock:getpeername() -> ip, port
function Sock:getpeername()
  if self._s then return N.peer(self._s) end
end

--- sock:getsockname() -> ip, port
function Sock:getsockname()
  if self._s then return N["local"](self._s) end
end

---------------------------------------------------------------------------------------------------------------
-- task style: create_tcp_server()
---------------------------------------------------------------------------------------------------------------
local Server = {}
Server.__index = Server
Server.__name = "tcp_server"

function create_tcp_server()
  return setmetatable({ _timeout = 0 }, Server)
end

--- server:settimeout(seconds): for accept_async; nil or negative means none.
Server.settimeout = Sock.settimeout

--- server:listen(host, port) -> bound port | nil, err
function Server:listen(host, port)
  check_host(host, 1, "listen")
  port = check_port(port, 2, "listen", true)
  if self._l then N.server_close(self._l) end
  local l, fut = N.listen(host, port)
  local bound, err = try_await(fut)
  if not bound then return nil, err end
  self._l = l
  self.port = bound
  return bound
end

--- server:accept_async() -> task-style socket | nil, err
function Server:accept_async()
  if not self._l then return nil, "closed: not listening" end
  local s, err = try_await(N.accept(self._l, self._timeout))
  if not s then return nil, err end
  return wrap_task_socket(s, 0)
end

--- server:close(): stops listening; accepted sockets stay open.
function Server:close()
  if self._l then
    N.server_close(self._l)
    self._l = nil
  end
  return true
end
