-- Assertion helper for the Lua-level tests under dev/tests (run by JUnit, one test per script).
-- Loaded as the global T before each test script.
local T = {}
local pending = {}

local function fmt(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

--- T.eq(actual, expected [, msg])
function T.eq(actual, expected, msg)
  if actual ~= expected then
    error((msg and (msg .. ": ") or "") .. "expected " .. fmt(expected) .. ", got " .. fmt(actual), 2)
  end
end

--- T.ok(value [, msg]): value must be truthy
function T.ok(v, msg)
  if not v then error(msg or "expected a true value", 2) end
  return v
end

--- T.near(a, b, eps)
function T.near(a, b, eps, msg)
  if math.abs(a - b) > (eps or 1e-9) then
    error((msg and (msg .. ": ") or "") .. "expected " .. fmt(b) .. " +- " .. fmt(eps) .. ", got " .. fmt(a), 2)
  end
end

local function same(a, b, seen)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do if not same(v, b[k], seen) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

--- T.same(a, b): deep equality of tables
function T.same(a, b, msg)
  if not same(a, b) then
    error((msg and (msg .. ": ") or "") .. "tables differ: " .. (json and pcall(json.encode, a) and json.encode(a) or tostring(a))
      .. " vs " .. (json and pcall(json.encode, b) and json.encode(b) or tostring(b)), 2)
  end
end

--- T.raises(fn, pattern): fn must raise an error whose message matches pattern (plain find); returns the error
function T.raises(fn, pattern, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error" .. (pattern and (" matching " .. fmt(pattern)) or ""), 2) end
  if pattern and not tostring(err):find(pattern, 1, true) then
    error("error " .. fmt(tostring(err)) .. " does not contain " .. fmt(pattern), 2)
  end
  return err
end

--- T.expect(n, name) -> checkpoint function that must be called exactly n times before the test ends
function T.expect(n, name)
  local c = { name = name or ("checkpoint " .. (#pending + 1)), want = n, got = 0 }
  pending[#pending + 1] = c
  return function(...)
    c.got = c.got + 1
    if c.got > c.want then error(c.name .. " called more than " .. c.want .. " times", 2) end
    return ...
  end
end

--- Called by the harness when the engine is idle: every checkpoint must be complete.
function T._finish()
  for _, c in ipairs(pending) do
    if c.got ~= c.want then
      error(c.name .. ": expected " .. c.want .. " calls, got " .. c.got)
    end
  end
  return true
end

return T
