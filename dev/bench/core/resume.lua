-- C Lua baseline for CoreBench.resumeYield: coroutine resume/yield round trip.
local N = 2000000
local co = coroutine.wrap(function() while true do coroutine.yield() end end)
for round = 1, 3 do
  local t0 = os.clock()
  for i = 1, N do co() end
  print(string.format("clua_resume_yield_us %.3f", (os.clock() - t0) * 1e6 / N))
end
