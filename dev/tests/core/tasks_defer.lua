-- defer(fn) runs clean-ups when a task ends in any way (done, failed, cancelled), last registered first.
local log = {}
local function task(tag, how)
  return spawn(function()
    defer(function() log[#log + 1] = tag .. ":first" end)
    defer(function() log[#log + 1] = tag .. ":second" end)
    if how == "fail" then error("boom") end
    if how == "sleep" then sleep(60) end
    return tag
  end)
end

T.eq(task("done"):await(), "done")
local f = task("failed", "fail")
T.raises(function() f:await() end, "boom")
local c = task("cancelled", "sleep")
sleep(0.01)
c:cancel()
sleep(0.01)
T.same(log, {"done:second", "done:first", "failed:second", "failed:first", "cancelled:second", "cancelled:first"})

-- a clean-up may await, even in a cancelled task; awaiters see the task end after it
local steps = {}
local slow = spawn(function()
  defer(function() sleep(0.01); steps[#steps + 1] = "cleaned" end)
  sleep(60)
end)
sleep(0.005)
slow:cancel()
T.eq(slow:status(), "cancelled")
T.raises(function() slow:await() end, "cancelled")
T.same(steps, {"cleaned"}, "the task ended after its clean-up")

-- a clean-up sees the task's state as it was (closures), and runs once
local n = 0
spawn(function() defer(function() n = n + 1 end) end):await()
sleep(0.001)
T.eq(n, 1)

-- misuse is blamed on the caller's line
local err = T.raises(function() defer(42) end, "bad argument #1 to 'defer' (function expected, got number)")
T.ok(err:find("tasks_defer.lua:", 1, true), err)
