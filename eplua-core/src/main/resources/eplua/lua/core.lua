-- eplua core: the public Lua API, written over the Java primitives in _eplua.core (passed as ...).
-- Contract: shared/design/LUA_API.md. Misuse raises "bad argument" errors at the caller's line.
local N = ...

local type, error, tonumber, select = type, error, tonumber, select

-- raises "bad argument #1 to 'fname' (t expected, got ...)" at the line that called fname (the caller's caller)
local function need(v, t, fname)
  if type(v) ~= t then error(("bad argument #1 to '%s' (%s expected, got %s)"):format(fname, t, type(v)), 3) end
end

--- setTimeout(fn, ms [, opts]) -> id. One-shot; opts.system=true: does not keep the engine alive.
setTimeout = N.setTimeout

--- setInterval(fn, ms [, opts]) -> id. Fixed rate; an error in fn is reported and the interval goes on.
setInterval = N.setInterval

--- clearTimeout(id) / clearInterval(id): one id space; unknown ids and second calls are no-ops.
function clearTimeout(id)
  if id ~= nil then N.clearTimer(id) end
end
clearInterval = clearTimeout

--- spawn(fn, ...) -> task: run fn(...) as a task (a coroutine driven by the loop).
spawn = N.spawn

--- await(task_or_future [, timeout_ms]) -> results; raises the task's error; nil, "timeout" on timeout.
function await(x, timeout_ms)
  if not N.is_awaitable(x) then
    error(("bad argument #1 to 'await' (task or future expected, got %s)"):format(type(x)), 2)
  end
  return N.await(x, timeout_ms)
end

--- sleep(seconds): suspend the running task; never blocks the loop.
sleep = N.sleep

--- yield([seconds]): give everything else a turn (the task goes behind the I/O, timers and tasks ready now), or
--- wake after seconds.
function yield(seconds)
  N.yield(seconds)
end

--- sleep_ms(ms): sleep(ms / 1000) (SignaKit).
function sleep_ms(ms)
  need(ms, "number", "sleep_ms")
  return sleep(ms / 1000)
end

--- is_app_running() -> true until the engine is closing.
function is_app_running()
  return N.is_app_running()
end

--- on_cleanup(fn): fn runs as a task when the engine starts closing (close(), --run-for, SIGINT/SIGTERM), before
--- the tasks' grace period; handlers run in the order they were registered.
function on_cleanup(fn)
  need(fn, "function", "on_cleanup")
  N.on_cleanup(fn)
end

--- defer(fn): fn runs when the running task ends in any way (done, failed, cancelled), last registered first; an
--- error in fn is reported, not raised.
function defer(fn)
  need(fn, "function", "defer")
  if not N.defer(fn) then error("defer outside a task (call it inside a task: spawn(fn) runs one)", 2) end
end

--- get_time_seconds() -> the wall clock in seconds, with fractions (SignaKit).
get_time_seconds = N.time_seconds

--- log(...): print(...) with the local time first: "[HH:MM:SS.mmm] ..." on the engine's output (SignaKit).
log = N.log

--- eplua: the engine itself. eplua.metrics() -> table: loop lag, callbacks and tasks per second, tasks, timers,
--- open resources by kind, the longest callback recently (eplua-core/OBSERVABILITY.md).
eplua = { metrics = N.metrics }

-- task methods: task:await([ms]), task:cancel(), task:status()
local task_methods = {
  await = function(t, ms) return await(t, ms) end,
  cancel = function(t) return N.task_cancel(t) end,
  status = function(t) return N.task_status(t) end,
}
N.task_meta.__index = task_methods
N.task_meta.__name = "task"

--- json.encode(v), json.decode(s), json.encodeFormated(v) (EPLua's spelling; encodeFormatted also works).
json = {
  encode = N.json_encode,
  decode = N.json_decode,
  encodeFormated = N.json_encode_formatted,
  encodeFormatted = N.json_encode_formatted,
  null = N.json_null,
}

--- os.getenv(name [, default]): the environment, then a .env file in the working directory.
do
  local getenv = N.getenv
  os.getenv = function(name, default)
    need(name, "string", "getenv")
    local v = getenv(name)
    if v == nil then return default end
    return v
  end
end

-- Shared helpers for modules' Lua files (_eplua.core.args), the one argument checker of every module: checks that
-- raise "bad argument" errors, and settle(fut, cb), the callback-style {success=fn, error=fn} bridge over the settle
-- primitive. Misuse is blamed on the caller of the misused function, however deep the check ran (wrappers, helpers,
-- tail calls): for eplua's own Lua files (chunks named eplua/...) the first frame outside all of them; for another
-- module's Lua file (or a library) that checks with these helpers, the first frame outside that file.
do
  local tonumber, math_floor, tostring = tonumber, math.floor, tostring
  local getinfo = debug and debug.getinfo
  local A = {}
  local CORE = getinfo and getinfo(1, "S").source -- this file: the checker's own frames
  local function ours(src) return src:find("^[@=]?eplua/") ~= nil end
  -- error level, counted from raise(), of the frame to blame (getinfo levels: 1 blame, 2 raise, 3 its caller)
  local function blame()
    if getinfo == nil then return 3 end
    local level, api = 3, nil -- api: true for eplua's files, else the source of the misused function's file
    while true do
      local info = getinfo(level, "S")
      if info == nil then return 2 end
      local src = info.source
      if src ~= CORE then
        if api == nil then api = ours(src) or src end
        if api == true and not ours(src) or api ~= true and src ~= api then return level - 1 end
      end
      level = level + 1
    end
  end
  --- raise(msg): a misuse error at the line of the caller of the misused function.
  function A.raise(msg)
    error(msg, blame())
  end
  local raise = A.raise
  --- argerr(n, fname, msg): "bad argument #n to 'fname' (msg)" at that line.
  function A.argerr(n, fname, msg)
    raise(("bad argument #%d to '%s' (%s)"):format(n, fname, msg))
  end
  local argerr = A.argerr
  --- check(v, want, n, fname [, optional]) -> v: type(v) must be want ("string", "table", "function", ...).
  function A.check(v, want, n, fname, optional)
    local t = type(v)
    if t ~= want and not (optional and v == nil) then argerr(n, fname, want .. " expected, got " .. t) end
    return v
  end
  function A.check_host(h, n, fname)
    if type(h) ~= "string" then argerr(n, fname, "string expected, got " .. type(h)) end
    return h
  end
  function A.check_port(p, n, fname, allow0)
    local v = tonumber(p)
    if v == nil then argerr(n, fname, "number expected, got " .. type(p)) end
    if v ~= math_floor(v) or v < (allow0 and 0 or 1) or v > 65535 then
      argerr(n, fname, "port out of range: " .. tostring(p))
    end
    return v
  end
  --- check_data(d, n, fname) -> string: a string, or a number as its string.
  function A.check_data(d, n, fname)
    local t = type(d)
    if t == "number" then return tostring(d) end
    if t ~= "string" then argerr(n, fname, "string expected, got " .. t) end
    return d
  end
  --- check_cb(cb, n, fname) -> cb: nil or a {success=fn, error=fn} table.
  function A.check_cb(cb, n, fname)
    if cb ~= nil and type(cb) ~= "table" then argerr(n, fname, "callback table expected, got " .. type(cb)) end
    return cb
  end
  --- check_ms(v, n, fname) -> milliseconds: nil, zero or negative mean none (0).
  function A.check_ms(v, n, fname)
    if v == nil then return 0 end
    local ms = tonumber(v)
    if ms == nil then argerr(n, fname, "number expected, got " .. type(v)) end
    return ms > 0 and ms or 0
  end
  --- check_seconds(v, n, fname) -> milliseconds: v in seconds (LuaSocket's settimeout); nil or negative mean none.
  function A.check_seconds(v, n, fname)
    if v == nil then return 0 end
    local s = tonumber(v)
    if s == nil then argerr(n, fname, "number expected, got " .. type(v)) end
    return s > 0 and s * 1000 or 0
  end
  -- calls cb.success(values...) or cb.error(err) when the future settles; no task at all when nobody listens
  local settle = N.settle
  function A.settle(fut, cb)
    if cb ~= nil then settle(fut, cb.success, cb.error) end
  end
  N.args = A
end
