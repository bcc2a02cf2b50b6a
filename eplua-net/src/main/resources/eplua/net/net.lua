-- eplua net: what the network modules' Lua files share. Each network module runs this file first, with its own
-- native table (passed as ...: keep_alive and detach are in every one), and finds these helpers there (N.class,
-- N.lifetime, N.inherit, N.stopped, N.server_methods, N.system, and the tcp/udp sockets' shared methods). Lifecycle rules: eplua-net/LIFECYCLE-NET.md. (require("net"), require("http"),
-- require("mqtt") find the global tables through the core's package.preload entries.)
--
-- Every socket, server and client object of tcp, udp, http, websocket and mqtt gets, through N.lifetime:
--   obj:unref() -> obj   the engine may go idle (and a script end) while it is open; it still works when used
--   obj:ref()   -> obj   it keeps the engine alive again (the default)
--   obj:detach() -> obj  it outlives the task that opened it: cancelling that task no longer closes it
-- `{system = true}` in a constructor's options is unref from the start (as for timers). What was asked applies to
-- the object's connection or listener of the moment and to every later one (a reconnect, a restart).
local N = ...
local keep_alive, detach = N.keep_alive, N.detach
local core = _eplua.core
local current_task, try_await, next_turn = core.current_task, core.try_await, core.yield

net = net or {}

--- N.lifetime(class, field): adds :unref(), :ref() and :detach() to class; objects keep their Java handle in
--- obj[field] (nil until connected or started). Each records what was asked in the object (a later handle inherits
--- it, N.inherit) and applies it to the handle of the moment.
function N.lifetime(class, field)
  local function asks(flag, value, apply)
    return function(self)
      self[flag] = value
      local h = self[field]
      if h ~= nil then apply(h) end
      return self
    end
  end
  class.unref = asks("_unref", true, function(h) keep_alive(h, false) end)
  class.ref = asks("_unref", nil, function(h) keep_alive(h, true) end)
  class.detach = asks("_detached", true, detach)
end

--- N.class(field [, name]) -> a new class (its own __index, __name = name) whose objects keep their Java handle in
--- obj[field], with N.lifetime's methods.
function N.class(field, name)
  local class = { __name = name }
  class.__index = class
  N.lifetime(class, field)
  return class
end

--- N.server_methods(class, field): adds :stop() (stop listening and close every connection, idempotent; called from
--- a task, it returns once the port is closed) and :isRunning() -> boolean to a server class whose handle, from
--- N.server_stop / N.server_running's module, is obj[field].
function N.server_methods(class, field)
  function class:stop()
    local h = self[field]
    if h then N.stopped(N.server_stop(h)) end
  end
  function class:isRunning()
    local h = self[field]
    return h ~= nil and N.server_running(h)
  end
end

--- N.inherit(obj, h) -> h: applies what obj's script asked (unref, detach) to obj's new Java handle h.
function N.inherit(obj, h)
  if obj._unref then keep_alive(h, false) end
  if obj._detached then detach(h) end
  return h
end

--- N.stopped(f): in a task, waits until the port of a server being stopped is closed for good: its stop future
--- (server_stop), then one turn of the loop (the JDK releases a socket registered with a selector at the selector's
--- next poll), so a connect made after this returns is refused. Outside a task: nothing.
function N.stopped(f)
  if current_task() ~= nil then
    try_await(f, 5000)
    next_turn()
  end
end

--- N.getsockname(sock) -> ip, port: the local address of a tcp or udp socket object (nil before it opens).
function N.getsockname(sock)
  local h = sock._s
  if h then return N["local"](h) end
end

--- N.close_socket(sock) -> true: a task-style tcp or udp socket's close() (pending reads fail with "closed").
function N.close_socket(sock)
  local h = sock._s
  if h then N.close(h) end
  return true
end

--- N.set_non_blocking(sock, flag) -> true: a task-style (SignaKit) tcp or udp socket's set_non_blocking: its calls
--- answer at once instead of suspending the task (each module's file says how).
function N.set_non_blocking(sock, flag)
  sock._nb = flag ~= false and flag ~= nil or nil
  return true
end

--- N.settimeout(obj, seconds) -> true: a task-style tcp or udp object's settimeout; nil or negative means none.
function N.settimeout(obj, seconds)
  obj._timeout = core.args.check_seconds(seconds, 1, "settimeout")
  return true
end

--- N.system(opts) -> true when opts asks for an unref'd object ({system = true}).
function N.system(opts)
  return type(opts) == "table" and opts.system == true or nil
end
