-- cancel ends a sleeping task at its suspension point; await with a timeout returns nil, "timeout".
local reached = false
local t = spawn(function() sleep(60); reached = true end)
sleep(0.005)
T.eq(t:status(), "suspended")
T.eq(t:cancel(), true)
T.eq(t:status(), "cancelled")
T.ok(not reached)
T.raises(function() t:await() end, "cancelled")
T.eq(t:cancel(), false, "cancelling twice is a no-op")

-- pcall inside the task cannot swallow the cancellation
local caught = false
local c = spawn(function() local ok = pcall(sleep, 60); caught = true end)
sleep(0.001)
c:cancel()
sleep(0.001)
T.eq(caught, false, "pcall must not catch a cancellation")

local slow = spawn(function() sleep(0.5); return "late" end)
local v, err = slow:await(10)
T.eq(v, nil); T.eq(err, "timeout")
local v2, err2 = await(slow, 5)
T.eq(err2, "timeout")
slow:cancel()

-- a queued task that is cancelled before it starts never runs
local ran = false
local q = spawn(function() ran = true end)
q:cancel()
sleep(0.005)
T.eq(ran, false)
