-- eplua net: what the network modules' Lua files share. Each network module runs this file first, with its own
-- native table (passed as ...: keep_alive and detach are in every one), and finds these helpers there (N.lifetime,
-- N.inherit, N.system). Lifecycle rules: eplua-net/LIFECYCLE-NET.md. (require("net"), require("http"),
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
--- obj[field] (nil until connected or started).
function N.lifetime(class, field)
  function class:unref()
    self._unref = true
    local h = self[field]
    if h ~= nil then keep_alive(h, false) end
    return self
  end
  function class:ref()
    self._unref = nil
    local h = self[field]
    if h ~= nil then keep_alive(h, true) end
    return self
  end
  function class:detach()
    self._detached = true
    local h = self[field]
    if h ~= nil then detach(h) end
    return self
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

--- N.system(opts) -> true when opts asks for an unref'd object ({system = true}).
function N.system(opts)
  return type(opts) == "table" and opts.system == true or nil
end
