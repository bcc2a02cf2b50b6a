-- The test module's friendly API, written over its primitives (passed as ...).
local N = ...
greeter = {
  greet = function(name)
    if type(name) ~= "string" then error("bad argument #1 to 'greet' (string expected, got " .. type(name) .. ")", 2) end
    return N.hello(name)
  end,
  greet_later = function(name) return await(N.later(name)) end,
}
