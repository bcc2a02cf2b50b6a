-- The coroutine library works inside tasks, and an await inside a user coroutine reaches the loop.
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local sum = 0
for i in range(10) do sum = sum + i end
T.eq(sum, 55)

-- a user coroutine that sleeps: the sleep suspends the whole task, other tasks run meanwhile
local other_ran = false
spawn(function() other_ran = true end)
local co = coroutine.create(function(x)
  sleep(0.01)                  -- not swallowed by coroutine.resume
  local y = coroutine.yield(x + 1)
  return y * 2
end)
local ok, v = coroutine.resume(co, 1)
T.eq(ok, true); T.eq(v, 2)
T.ok(other_ran, "the loop ran other tasks while the coroutine slept")
T.eq(coroutine.status(co), "suspended")
local ok2, v2 = coroutine.resume(co, 21)
T.eq(ok2, true); T.eq(v2, 42)
T.eq(coroutine.status(co), "dead")
local ok3, e3 = coroutine.resume(co)
T.eq(ok3, false); T.ok(tostring(e3):find("dead"), e3)

-- errors inside coroutines come back from resume; nested coroutines
local bad = coroutine.create(function() error({ tag = "x" }) end)
local okb, eb = coroutine.resume(bad)
T.eq(okb, false); T.eq(eb.tag, "x")
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield("in1"); coroutine.yield("in2") end)
  coroutine.yield(inner()); coroutine.yield(inner())
end)
T.eq(outer(), "in1"); T.eq(outer(), "in2")
T.raises(function() coroutine.yield() end, "outside a coroutine")
local r, ismain = coroutine.running()
T.eq(type(r), "thread"); T.eq(ismain, true)
