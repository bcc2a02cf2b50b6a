-- clearTimeout in an earlier callback wins over a later timer of the same batch; clearing is idempotent.
local fired = {}
local second
setTimeout(function() fired[#fired + 1] = "first"; clearTimeout(second) end, 5)
second = setTimeout(function() fired[#fired + 1] = "second" end, 5)
clearTimeout(123456)      -- unknown id: no-op
clearTimeout(nil)
local gone = setTimeout(function() fired[#fired + 1] = "never" end, 1)
clearTimeout(gone); clearTimeout(gone)
local n = 0
local done = T.expect(1, "interval stopped after 3 ticks")
local iv
iv = setInterval(function()
  n = n + 1
  if n == 3 then clearInterval(iv); done() end
end, 2)
sleep(0.05)
T.eq(table.concat(fired, ","), "first")
T.eq(n, 3)
-- one id space for timeouts and intervals
local a = setTimeout(function() end, 1000)
local b = setInterval(function() end, 1000)
T.ok(a ~= b)
clearInterval(a); clearTimeout(b)
