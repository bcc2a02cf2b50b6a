-- A failed task re-raises in its awaiter; a table error stays a table; messages name chunk and line.
local t = spawn(function() error({ code = 7 }) end)
local ok, err = pcall(function() return t:await() end)
T.eq(ok, false)
T.eq(type(err), "table", "table errors keep their value")
T.eq(err.code, 7)
T.eq(t:status(), "failed")

local s = spawn(function() sleep(0.001); error("boom") end)
local ok2, err2 = pcall(await, s)
T.eq(ok2, false)
T.ok(tostring(err2):find("tasks_errors.lua:9: boom", 1, true), "message names the line: " .. tostring(err2))
T.ok(not tostring(err2):find("stack traceback", 1, true), "pcall returns the message without traceback")

-- pcall inside a task keeps working across suspension
local ok3, v3 = pcall(function() sleep(0.001); return 5 end)
T.eq(ok3, true); T.eq(v3, 5)

-- bad arguments are clear errors
T.raises(function() spawn(42) end, "bad argument #1 to 'spawn'")
T.raises(function() await("x") end, "bad argument #1 to 'await'")
T.raises(function() setTimeout("x", 1) end, "bad argument #1 to 'setTimeout'")
T.raises(function() sleep("soon") end, "bad argument #1 to 'sleep'")
