-- yield(), yield(0) and sleep(0) put the task behind everything ready when it yielded: tasks spinning on them do not
-- hold back a sleep, a timer or another task (before: each yield was a loop job and Netty ran them for up to 1 s
-- before it looked at timers and I/O again: every sleep(0.1) below took ~1000 ms). Bounds are generous (CI noise):
-- medians of a few samples, so that one hiccup of a loaded machine does not decide.
local stop = false
local spins = {0, 0, 0}
local spinners = {
  spawn(function() while not stop do spins[1] = spins[1] + 1; yield() end end),
  spawn(function() while not stop do spins[2] = spins[2] + 1; yield(0) end end),
  spawn(function() while not stop do spins[3] = spins[3] + 1; sleep(0) end end),
}

local function median(xs)
  table.sort(xs)
  return xs[math.ceil(#xs / 2)]
end

local slept = {}
for i = 1, 5 do
  local t0 = get_time_seconds()
  sleep(0.1)
  slept[i] = (get_time_seconds() - t0) * 1000
end
local ms = median(slept)
T.ok(ms >= 99 and ms < 160, ("sleep(0.1) took %.1f ms (median of %s)"):format(ms, table.concat(slept, ", ")))

local late = {}
for i = 1, 3 do
  local fired = T.expect(1, "timer " .. i)
  local t1 = get_time_seconds()
  setTimeout(function() late[i] = (get_time_seconds() - t1) * 1000; fired() end, 100)
  while late[i] == nil do sleep(0.01) end
end
ms = median(late)
T.ok(ms >= 99 and ms < 160, ("setTimeout(fn, 100) fired after %.1f ms (median of %s)"):format(ms, table.concat(late, ", ")))

-- another task that yields gets its turns too
local t2 = get_time_seconds()
spawn(function() for _ = 1, 20 do yield() end end):await()
local took = (get_time_seconds() - t2) * 1000
T.ok(took < 500, ("20 yields among three spinners took %.1f ms"):format(took))

stop = true
for _, s in ipairs(spinners) do s:await() end
for i = 1, 3 do T.ok(spins[i] > 50, "spinner " .. i .. " made progress: " .. spins[i]) end

-- a lone task spinning on yield() still lets a timer through
local done = false
local lone = spawn(function() while not done do yield() end end)
local t3 = get_time_seconds()
local fired_at
setTimeout(function() fired_at = (get_time_seconds() - t3) * 1000; done = true end, 50)
lone:await()
T.ok(fired_at < 110, ("a 50 ms timer beside a lone spinner fired after %.1f ms"):format(fired_at))
