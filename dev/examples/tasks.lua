-- Tasks: spawn, await, results and errors, cancel, status.
local function fetch(name, seconds)
  sleep(seconds)
  return name .. " done", seconds
end

local a = spawn(fetch, "a", 0.2)
local b = spawn(fetch, "b", 0.1)
print("spawned: a is " .. a:status() .. ", b is " .. b:status())

-- awaiting in any order: b finishes first, a:await() still returns a's results
local ra, sa = a:await()
local rb = b:await()
print(ra .. " after " .. sa .. " s; " .. rb)

-- an error inside a task is raised again by await
local bad = spawn(function() sleep(0.05); error("bad luck", 0) end)
local ok, err = pcall(function() return bad:await() end)
err = tostring(err):gsub("^.-:%d+: ", "") -- the message, whatever position it carries
print("await of a failing task: ok=" .. tostring(ok) .. ", err=" .. err .. ", status=" .. bad:status())

-- a task can be cancelled while it sleeps
local slow = spawn(function() sleep(10); print("never printed") end)
slow:cancel()
print("cancelled: " .. slow:status())

-- await with a timeout: nil, "timeout" when the task is not done in time; it goes on running
local late = spawn(function() sleep(0.3); return "late" end)
local v, e = late:await(50)
print("await(50 ms) -> " .. tostring(v) .. ", " .. tostring(e))
print("late finally: " .. late:await())
