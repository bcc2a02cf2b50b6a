-- Timers due at the same time fire in creation order; setTimeout(fn, 0) runs after the current chunk.
local order = {}
local done = T.expect(1, "all timers fired")
setTimeout(function() order[#order + 1] = "b" end, 20)
setTimeout(function() order[#order + 1] = "a" end, 10)
setTimeout(function() order[#order + 1] = "c" end, 20)
setTimeout(function() order[#order + 1] = "zero" end, 0)
order[#order + 1] = "main"
setTimeout(function()
  T.eq(table.concat(order, ","), "main,zero,a,b,c")
  done()
end, 40)
