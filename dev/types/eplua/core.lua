---@meta
-- eplua core: timers, tasks, awaiting, and the standard functions eplua changes.
-- LuaLS definitions (https://luals.github.io/wiki/definition-files/), written from shared/design/LUA_API.md and
-- eplua-core/src/main/resources/eplua/lua/core.lua. Declarations only: nothing here runs.

-- ---- timers -------------------------------------------------------------------------------------------------------

---Options of `setTimeout` and `setInterval`.
---@class eplua.TimerOptions
---@field system? boolean true: the timer does not keep the engine alive (a background timer)

---Calls `fn` once, `ms` milliseconds from now, as a task (so it may await). Timers due at the same time fire in
---creation order; `setTimeout(fn, 0)` runs after the current chunk or callback.
---@param fn function
---@param ms? number delay in milliseconds (default 0)
---@param opts? eplua.TimerOptions
---@return integer id for `clearTimeout`
function setTimeout(fn, ms, opts) end

---Calls `fn` every `ms` milliseconds, at a fixed rate (no drift from the time the callback takes). An error in `fn`
---is reported to the engine's error handler and the interval goes on.
---@param fn function
---@param ms number period in milliseconds
---@param opts? eplua.TimerOptions
---@return integer id for `clearInterval`
function setInterval(fn, ms, opts) end

---Cancels a timer or interval. Timeouts and intervals share one id space; an unknown id, `nil`, or a second call is a
---no-op.
---@param id? integer
function clearTimeout(id) end

---Cancels an interval or timer (the same function as `clearTimeout`).
---@param id? integer
function clearInterval(id) end

-- ---- tasks --------------------------------------------------------------------------------------------------------

---What `task:status()` says.
---@alias eplua.TaskStatus
---| "running"   # it is the task running now
---| "suspended" # waiting to start, or suspended in an await, sleep, yield or network call
---| "done"      # returned
---| "failed"    # raised an error
---| "cancelled" # cancelled before it finished

---A task: a coroutine driven by the engine's loop, made by `spawn`. The main chunk, every timer callback and every
---network callback also run as tasks.
---@class eplua.Task
local Task = {}

---Suspends the running task until this task finishes; returns its results, or raises its error (a cancelled
---task raises "cancelled"). On timeout returns `nil, "timeout"` and the task goes on.
---@async
---@param timeout_ms? number milliseconds; nil or 0: no timeout
---@return any ...
function Task:await(timeout_ms) end

---Cancels the task, structured: first the tasks it spawned that are still unfinished (recursively); then the task
---itself ends at its suspension point and the operation it waits on is abandoned; its `defer` clean-ups run and the
---resources it still owns (sockets, servers, clients it opened and did not close or detach) are closed. `pcall`
---inside the task cannot catch the cancellation.
---@return boolean cancelled false when the task had already finished or been cancelled
function Task:cancel() end

---@return eplua.TaskStatus
function Task:status() end

---Runs `fn(...)` as a new task; it starts on a later turn of the loop, never inside this call.
---@param fn function
---@param ... any arguments for fn
---@return eplua.Task
function spawn(fn, ...) end

---Suspends the running task until `x` (a task, or a Java `CompletableFuture` handed over by the host or a module)
---completes; returns its results, or raises its error. On timeout returns `nil, "timeout"`.
---@async
---@param x eplua.Task|userdata
---@param timeout_ms? number milliseconds; nil or 0: no timeout
---@return any ...
function await(x, timeout_ms) end

---Suspends the running task for `seconds` (fractions allowed); never blocks the loop. `sleep(0)` is `yield()`.
---@async
---@param seconds number
function sleep(seconds) end

---Suspends the running task for `ms` milliseconds: `sleep(ms / 1000)` (SignaKit's name).
---@async
---@param ms number
function sleep_ms(ms) end

---Gives other tasks a turn: the task goes behind everything ready now (due timers, I/O, other tasks), so a task
---spinning on `yield()` never starves them. With `seconds`, wakes after that long instead (as `sleep`).
---@async
---@param seconds? number
function yield(seconds) end

---Registers `fn` as a clean-up of the running task: it runs when the task ends in any way (done, failed, cancelled),
---last registered first, before the resources the task owns are closed; it may await. An error in `fn` is reported
---to the engine's error handler, not raised. Raises an error outside a task.
---@param fn fun()
function defer(fn) end

---True until the engine starts closing (`close()`, `--run-for`, SIGINT, SIGTERM); then the `on_cleanup` handlers
---run and tasks get a grace period (2 s by default) to finish before they are cancelled.
---@return boolean
function is_app_running() end

---Registers `fn` to run as a task when the engine starts closing, before the tasks' grace period; handlers run in
---the order they were registered and may await. Registered while closing, it runs at once.
---@param fn fun()
function on_cleanup(fn) end

-- ---- time and logging (SignaKit) -----------------------------------------------------------------------------------

---The wall clock, in seconds since 1970 with fractions (microseconds).
---@return number
function get_time_seconds() end

---As `print`, with the local time first: `[HH:MM:SS.mmm] message` on the engine's output.
---@param ... any
function log(...) end

-- ---- the engine itself ---------------------------------------------------------------------------------------------

---@class eplua.LoopLag loop lag over the window, in milliseconds (how late the loop's 100 ms probe ran)
---@field p50 number
---@field p99 number
---@field max number

---@class eplua.LongestCallback the longest Lua turn in the window
---@field ms number
---@field where? string `chunk:line` where its function was defined

---@class eplua.Metrics
---@field engine string the engine's name
---@field fiber_mode "platform"|"virtual"|"carried" which threads carry tasks
---@field loop string the thread of the loop the engine is placed on
---@field engines_on_loop integer engines sharing that loop now (this one included)
---@field window_seconds number the time the rates, lag and longest callback cover (up to 10 s)
---@field lag_ms eplua.LoopLag
---@field callbacks_per_second number Lua turns (task starts and resumptions) per second
---@field tasks_per_second number tasks started per second
---@field callbacks_run integer Lua turns since the engine started
---@field tasks_started integer tasks started since the engine started
---@field tasks_alive integer tasks spawned and not finished
---@field tasks_suspended integer tasks waiting at a suspension point
---@field timers_pending integer timeouts and intervals not yet fired or cleared
---@field resources table<string, integer> open resources by kind (e.g. `tcp`, `udp`, `http-request`, `websocket`, `mqtt`)
---@field longest_callback eplua.LongestCallback
---@field blocked_loop_warnings integer callbacks reported for holding the loop too long

---The engine itself.
eplua = {}

---The engine's metrics now (see eplua-core/OBSERVABILITY.md).
---@return eplua.Metrics
function eplua.metrics() end

-- ---- standard functions eplua changes ------------------------------------------------------------------------------

-- require finds the built-in modules: require("json"), require("net"), require("mqtt"), ... return the global tables
-- those modules install (package.preload entries).

---Writes the values, converted with `tostring` and separated by tabs, then a newline, to the engine's output (the
---javax.script context's writer; stdout for the `eplua` command). The bytes of strings are written as they are.
---@param ... any
function print(...) end

---The value of the environment variable `name`; if the process has none, the value from a `.env` file in the
---working directory (read once; `KEY=value` lines, `#` comments, optional `export` and quotes); else `default`.
---In the sandbox profile only the variables the host passed are seen, and no `.env` file is read.
---@param name string
---@param default? string returned when the variable is set nowhere
---@return string?
function os.getenv(name, default) end

-- Standard functions eplua replaces only so that they behave as Lua 5.2's do (LuaJ 3.0.1's differ). Their contract
-- and types are Lua 5.2's, which LuaLS already ships, so they are not declared again. One per line, `-- lua52: name`
-- (the definitions test reads these lines):
-- lua52: error                -- levels name the right line (level 2: the caller), level 0 adds no position
-- lua52: pcall                -- the message without LuaJ's appended traceback; Java errors are caught too:
--                                "out of memory", "stack overflow", "java.lang.XxxError: message"
-- lua52: xpcall               -- Java errors reach the handler as pcall's messages
-- lua52: getmetatable         -- a string's metatable is the engine's own ({__index = string})
-- lua52: type
-- lua52: tostring             -- numbers as %.14g (0.33333333333333, 1e+100)
-- lua52: load                 -- text chunks named [string "..."] in messages; mode honoured
-- lua52: pairs                -- honours __pairs (Java maps and lists iterate)
-- lua52: ipairs               -- honours __ipairs
-- lua52: math.log             -- the base argument works
-- lua52: string.format        -- C Lua's conversions (%g, %a, %q, %5.2s, ...)
-- lua52: string.rep           -- the sep argument; a result too large is an error, not a wrap
-- lua52: string.find          -- eplua's own matcher (C Lua's semantics and errors): close() and budgets stop it
-- lua52: string.match
-- lua52: string.gmatch
-- lua52: string.gsub
-- lua52: table.concat         -- numbers written as Lua writes them; lengths past 2 GiB are an error
-- lua52: table.sort           -- Lua 5.2's quicksort (the same order of equal keys); close() and budgets stop it
-- lua52: table.unpack         -- "too many results to unpack" past the table size budget
-- lua52: coroutine.create     -- coroutines run on fibers; an await inside one suspends the whole task
-- lua52: coroutine.resume
-- lua52: coroutine.yield
-- lua52: coroutine.status
-- lua52: coroutine.running
-- lua52: coroutine.wrap
