-- The debug library keeps working on eplua's lock-free call-stack bookkeeping: current lines, call levels,
-- hooks set by debug.sethook (line, call/return, count), tracebacks that name the right lines.
local function where() return debug.getinfo(2, "l").currentline end
local here = where(); T.eq(here, debug.getinfo(1, "l").currentline)

local function depth()
  local n = 0
  while debug.getinfo(n + 1, "f") do n = n + 1 end
  return n
end
local d0 = depth()
local function nest(k) if k == 0 then local r = depth(); return r end return nest(k - 1) + 0 end
T.eq(nest(3), d0 + 4, "each nested call is one more level")

-- line hook: sees the lines of the hooked function, in order
local lines = {}
local function body()
  local a = 1
  a = a + 1
  return a
end
debug.sethook(function(_, line) lines[#lines + 1] = line end, "l")
body()
debug.sethook()
local seen = table.concat(lines, ",")
local def = debug.getinfo(body, "S").linedefined
local want = (def + 1) .. "," .. (def + 2) .. "," .. (def + 3)
T.ok(seen:find(want, 1, true), "line hook saw body's lines " .. want .. ": " .. seen)

-- call/return hook and count hook
local calls = 0
debug.sethook(function(ev) if ev == "call" then calls = calls + 1 end end, "c")
body(); body()
debug.sethook()
T.ok(calls >= 2, "call hook fired " .. calls .. " times")
local counts = 0
debug.sethook(function() counts = counts + 1 end, "", 10)
for i = 1, 1000 do local _ = i * 2 end
debug.sethook()
T.ok(counts >= 100, "count hook fired " .. counts .. " times")

-- after the hooks are gone, lines and error positions are still right
local L1 = where(); local ok, err = pcall(function() error("boom", 1) end)
T.ok(tostring(err):find(":" .. L1 .. ":"), err)
local function blame_caller() error("bad caller", 2) end
local L2
local ok2, err2 = pcall(function()
  L2 = where(); blame_caller()
end)
T.ok(tostring(err2):find(":" .. L2 .. ":"), err2)
