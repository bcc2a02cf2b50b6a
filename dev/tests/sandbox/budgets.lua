-- Budgets in the sandbox (this suite sets 2,000,000 instructions per task slice): a runaway task gets a catchable
-- "budget:" error; one that catches it and runs on ends with it; one that suspends in time starts a new slice.
local spinner = spawn(function() while true do end end)
T.raises(function() return spinner:await() end, "budget: instructions")
T.eq(spinner:status(), "failed")

local stubborn = spawn(function()
  local ok, err = pcall(function() while true do end end)
  assert(not ok and err:find("budget: instructions", 1, true), err)
  while true do end -- caught it and went on: the task ends
end)
T.raises(function() return stubborn:await() end, "budget: instructions")

local polite = spawn(function()
  local total = 0
  for round = 1, 5 do
    for i = 1, 200000 do total = total + i end -- about a million instructions a round
    sleep(0) -- a new slice each round
  end
  return total
end)
T.eq(polite:await(), 5 * 200000 * 200001 / 2)

-- a library call's work counts too
T.raises(function() string.find(string.rep("a", 40), string.rep("a*", 20) .. "b") end, "budget: instructions")

-- sizes
T.raises(function() return string.rep("x", 17 * 1024 * 1024) end, "resulting string too large")
T.raises(function() return table.unpack({}, 1, 1000001) end, "too many results to unpack")

-- tasks alive (this suite: 50)
local sleepers = {}
local ok, err = pcall(function()
  for i = 1, 100 do sleepers[#sleepers + 1] = spawn(function() sleep(0.05) end) end
end)
T.eq(ok, false)
T.ok(err:find("budget: tasks", 1, true), err)
T.eq(#sleepers, 50)
for _, s in ipairs(sleepers) do s:await() end
T.ok(spawn(function() end), "a slot is free again")
