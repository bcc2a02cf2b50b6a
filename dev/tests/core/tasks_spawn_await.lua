-- spawn runs a function as a task; await returns its results; status follows its life.
local t = spawn(function(a, b)
  sleep(0.01)
  return a + b, "sum"
end, 40, 2)
T.eq(t:status(), "suspended", "a new task waits for the loop")
local v, tag = t:await()
T.eq(v, 42)
T.eq(tag, "sum")
T.eq(t:status(), "done")
-- await of a finished task returns at once, again
T.eq(await(t), 42)
-- tasks interleave: each sleep lets the other run
local log = {}
local a = spawn(function() for i = 1, 3 do log[#log + 1] = "a" .. i; sleep(0.005) end end)
local b = spawn(function() for i = 1, 3 do log[#log + 1] = "b" .. i; sleep(0.005) end end)
a:await(); b:await()
T.eq(#log, 6)
T.eq(log[1], "a1"); T.eq(log[2], "b1")
-- yield gives the other task a turn without a timer
local order = {}
local y1 = spawn(function() order[#order + 1] = 1; yield(); order[#order + 1] = 3 end)
local y2 = spawn(function() order[#order + 1] = 2; yield(); order[#order + 1] = 4 end)
y1:await(); y2:await()
T.eq(table.concat(order, ","), "1,2,3,4")
T.ok(is_app_running())
-- tasks are distinct values: usable as table keys
local t1, t2 = spawn(function() end), spawn(function() end)
T.ok(t1 ~= t2 and rawequal(t1, t1) and not rawequal(t1, t2))
local set = { [t1] = 1, [t2] = 2 }
T.eq(set[t1], 1); T.eq(set[t2], 2)
t1:await(); t2:await()
