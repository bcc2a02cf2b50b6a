-- error(msg, level) names the right line: level 1 where error was called, 2 the caller, 0 no position.
local function check(x)
  if type(x) ~= "number" then error("bad argument #1 to 'check' (number expected)", 2) end
end
local ok, err = pcall(function()
  check("x") -- line 6: level 2 blames this line
end)
T.eq(ok, false)
T.eq(err, "dev/tests/core/error_levels.lua:6: bad argument #1 to 'check' (number expected)")
local _, e1 = pcall(function() error("one") end) -- line 10
T.eq(e1, "dev/tests/core/error_levels.lua:10: one")
local _, e0 = pcall(function() error("bare", 0) end)
T.eq(e0, "bare")
local _, et = pcall(function() error({ code = 1 }, 2) end)
T.eq(et.code, 1, "tables pass unchanged")
-- library argument checks blame the script's line too
local _, es = pcall(function() spawn(42) end) -- line 17
T.eq(es, "dev/tests/core/error_levels.lua:17: bad argument #1 to 'spawn' (function expected, got number)")
-- and a task's error keeps its position through await
local t = spawn(function() error("in task") end) -- line 20
local _, ea = pcall(await, t)
T.eq(ea, "dev/tests/core/error_levels.lua:20: in task")
