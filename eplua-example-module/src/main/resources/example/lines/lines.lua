-- The lines module's friendly API over its primitives (passed as ...).
local N = ...
lines = {}

--- lines.count(s, sep) -> number of pieces
function lines.count(s, sep)
  if type(s) ~= "string" then error("bad argument #1 to 'count' (string expected, got " .. type(s) .. ")", 2) end
  return N.count(s, sep or "\n")
end

--- lines.listen(port, fn(line)) -> server with :close() and .port; keeps the engine alive until closed
function lines.listen(port, fn)
  local s, bound = N.listen(port or 0, fn)
  return { port = bound, close = function() N.close(s) end }
end

--- lines.later(ms, value, {success=fn, error=fn}): callback style
function lines.later(ms, value, cb) N.settle(N.later(ms, value), cb.success, cb.error) end

--- lines.later_async(ms, value) -> value: task style
function lines.later_async(ms, value) return await(N.later(ms, value)) end
