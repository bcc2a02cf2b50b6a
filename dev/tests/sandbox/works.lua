-- The sandbox profile keeps what scripts need: timers, tasks, coroutines, json, string/table/math, pcall, os time.
local done = T.expect(3, "callbacks")
setTimeout(function() done() end, 10)
local n = 0
local iv
iv = setInterval(function() n = n + 1 if n == 2 then clearInterval(iv) done() end end, 5)
local t = spawn(function(a, b) sleep(0.01) yield() return a + b end, 2, 3)
T.eq(t:await(), 5)
spawn(function() done() end)

local co = coroutine.wrap(function(x) local y = coroutine.yield(x * 2) return y + 1 end)
T.eq(co(5), 10)
T.eq(co(7), 8)

T.same(json.decode(json.encode({ a = { 1, 2, 3 }, b = "x" })), { a = { 1, 2, 3 }, b = "x" })
T.eq(("%05.1f|%s"):format(3.14159, "x"), "003.1|x")
T.eq(("hello world"):gsub("o", "0"), "hell0 w0rld")
T.eq(select(2, ("a,b,c"):gsub(",", ";")), 2)
local words = {}
for w in ("one two three"):gmatch("%a+") do words[#words + 1] = w end
T.same(words, { "one", "two", "three" })
local list = { 5, 3, 9, 1 }
table.sort(list)
T.eq(table.concat(list, " "), "1 3 5 9")
T.eq(table.unpack({ 1, 2, 3 }, 2), 2)
T.eq(math.floor(math.sqrt(16)), 4)
T.eq(math.max(1, 7, 3), 7)
T.ok(pcall(error, "x") == false)
T.ok(type(os.time()) == "number" and type(os.clock()) == "number" and type(os.date("%Y")) == "string")
T.eq(getmetatable("").__index, string, "strings index the engine's own string table")
T.eq(type(java.totable), "function", "the java table of explicit copies stays")
