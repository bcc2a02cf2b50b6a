-- A timer callback runs as a task: it sees itself as the running task and can suspend, defer and spawn children
-- (its task is made only when it needs one); callbacks that never ask all run, in order, and count as done.
local core = _eplua.core
local steps = {}
local done = T.expect(1, "the sleeping callback finished")
local seen
setTimeout(function()
  seen = core.current_task()
  T.ok(seen ~= nil, "a timer callback is a task")
  T.eq(seen:status(), "running")
  T.ok(core.current_task() == seen, "the same task when asked again")
  defer(function() steps[#steps + 1] = "deferred" end)
  local child = spawn(function() sleep(0.001); return 7 end)
  steps[#steps + 1] = "before sleep"
  sleep(0.005)
  T.ok(core.current_task() == seen, "the same task after a suspension")
  steps[#steps + 1] = "after sleep " .. child:await()
  done()
end, 0)
local order = {}
for i = 1, 100 do setTimeout(function() order[#order + 1] = i end, 0) end
local iv, beats
beats = 0
iv = setInterval(function()
  beats = beats + 1
  if beats == 2 then clearInterval(iv) end
  if beats == 1 then T.ok(core.current_task() ~= nil, "an interval's beat is a task too") end
end, 1)
sleep(0.05)
T.eq(#order, 100)
for i = 1, 100 do T.eq(order[i], i, "creation order") end
T.eq(beats, 2)
T.eq(table.concat(steps, ","), "before sleep,after sleep 7,deferred")
T.eq(seen:status(), "done")
T.eq(eplua.metrics().tasks_alive, 1, "only this chunk's task is left")
