-- Cancellation is structured: cancelling a task cancels the tasks it spawned that are still unfinished, recursively;
-- a task that ends normally leaves its children running, on their own.
local child, grandchild, finished
local parent = spawn(function()
  finished = spawn(function() return "early" end)
  child = spawn(function()
    grandchild = spawn(function() sleep(60) end)
    sleep(60)
  end)
  sleep(60)
end)
sleep(0.01)
T.eq(finished:status(), "done")
T.eq(grandchild:status(), "suspended")
T.eq(parent:cancel(), true)
T.eq(parent:status(), "cancelled")
T.eq(child:status(), "cancelled", "the child is cancelled with its parent")
T.eq(grandchild:status(), "cancelled", "and its own child too")
T.eq(finished:status(), "done", "a child that had finished stays done")
T.raises(function() grandchild:await() end, "cancelled")

-- a child not started yet never starts (here its parent cancels itself, which cancels its children first)
local ran = false
local queued
local p2
p2 = spawn(function()
  queued = spawn(function() ran = true end)
  p2:cancel()
  error("not reached")
end)
sleep(0.01)
T.eq(p2:status(), "cancelled")
T.eq(queued:status(), "cancelled")
T.eq(ran, false, "a queued child of a cancelled task never runs")

-- a task that returns leaves its children running; cancelling it later is a no-op for them
local orphan
local p3 = spawn(function() orphan = spawn(function() sleep(0.02) return "still here" end) end)
p3:await()
T.eq(p3:cancel(), false)
T.eq(orphan:await(), "still here")

-- a task cancelling itself cancels its children first
local kid
local selfish
selfish = spawn(function()
  kid = spawn(function() sleep(60) end)
  sleep(0)
  selfish:cancel()
  error("not reached")
end)
sleep(0.01)
T.eq(selfish:status(), "cancelled")
T.eq(kid:status(), "cancelled")

-- the main chunk is a task: what it spawns is its child, but it ends normally here, so they live on
local after = spawn(function() sleep(0.01) return "ok" end)
T.eq(after:await(), "ok")
