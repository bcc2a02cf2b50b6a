-- yield(), yield(0) and sleep(0) put the task behind everything ready when it yielded: tasks spinning on them do not
-- hold back a sleep, a timer or another task (before: each yield was a loop job and Netty ran them for up to 1 s
-- before it looked at timers and I/O again). Bounds are generous (CI noise); starved, these take ~1000 ms.
local stop = false
local spins = {0, 0, 0}
local spinners = {
  spawn(function() while not stop do spins[1] = spins[1] + 1; yield() end end),
  spawn(function() while not stop do spins[2] = spins[2] + 1; yield(0) end end),
  spawn(function() while not stop do spins[3] = spins[3] + 1; sleep(0) end end),
}

local t0 = get_time_seconds()
sleep(0.1)
local slept = (get_time_seconds() - t0) * 1000
T.ok(slept >= 99 and slept < 160, ("sleep(0.1) took %.1f ms"):format(slept))

local fired = T.expect(1, "timer")
local late
local t1 = get_time_seconds()
setTimeout(function() late = (get_time_seconds() - t1) * 1000; fired() end, 100)
while late == nil do sleep(0.01) end
T.ok(late >= 99 and late < 160, ("setTimeout(fn, 100) fired after %.1f ms"):format(late))

-- another task that yields gets its turns too
local other = 0
local t2 = get_time_seconds()
local o = spawn(function() for i = 1, 20 do other = other + 1; yield() end end)
o:await()
local took = (get_time_seconds() - t2) * 1000
T.ok(took < 200, ("20 yields among three spinners took %.1f ms"):format(took))

stop = true
for _, s in ipairs(spinners) do s:await() end
for i = 1, 3 do T.ok(spins[i] > 50, "spinner " .. i .. " made progress: " .. spins[i]) end
