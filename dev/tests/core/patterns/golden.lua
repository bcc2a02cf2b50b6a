-- string.find/match/gmatch/gsub against C Lua 5.2: prints one line per case, "<n> <results>" or "<n> ERR <message>",
-- values separated by " | ", strings quoted with bytes outside printable ASCII (and the backslash) as \ddd.
-- `lua5.2 golden.lua > expected.txt` writes the golden file; LibraryMatchesLua52Test runs this on eplua (and
-- on lua5.2 when installed) and compares. Error messages lose their position and the name of the function.
-- Left out on purpose: patterns that backtrack for long (the matcher is the same, the time is not the point here).
local n = 0
local byte, concat, tostring, type, select = string.byte, table.concat, tostring, type, select

local function escape(s)
  local out = {}
  for i = 1, #s do
    local b = byte(s, i)
    if b < 32 or b > 126 or b == 92 then out[#out + 1] = "\\" .. b else out[#out + 1] = string.char(b) end
  end
  return concat(out)
end

local function show(v)
  if type(v) == "string" then return '"' .. escape(v) .. '"' end
  return tostring(v)
end

local function pack(...)
  return { n = select("#", ...), ... }
end

local function report(ok, r)
  n = n + 1
  if ok then
    local parts = {}
    for i = 1, r.n do parts[i] = show(r[i]) end
    print(n .. " " .. concat(parts, " | "))
  else
    -- the function's name in "bad argument" errors is the name the caller used: C Lua and LuaJ find it differently
    local m = tostring(r[1]):gsub("^[^:]*:%d+: ", ""):gsub("(bad argument #%d+) to '[^']*'", "%1")
    print(n .. " ERR " .. escape(m))
  end
end

-- not tail calls: the errors name the function in both Luas
local function call(f, ...)
  local r = pack(f(...))
  return r
end

local function case(f, ...)
  local ok, r = pcall(call, f, ...)
  report(ok, ok and r or { r })
end

local function find(...) case(string.find, ...) end
local function match(...) case(string.match, ...) end
local function gsub(...) case(string.gsub, ...) end
local function gmatch(s, p)
  local ok, r = pcall(function()
    local out = { n = 0 }
    for a, b, c in string.gmatch(s, p) do
      out.n = out.n + 1
      out[out.n] = show(a) .. (b ~= nil and ("," .. show(b)) or "") .. (c ~= nil and ("," .. show(c)) or "")
      if out.n > 50 then break end
    end
    local r = { n = 1, concat(out, " ; ") }
    return r
  end)
  report(ok, ok and r or { r })
end

-- every byte against every class: which bytes match, as ranges
local all = {}
for b = 0, 255 do all[#all + 1] = string.char(b) end
all = concat(all)
for _, cl in ipairs({ "a", "c", "d", "g", "l", "p", "s", "u", "w", "x", "z", "A", "C", "D", "G", "L", "P", "S", "U",
  "W", "X", "Z", ".", "%%", "%.", "%]", "%-", "q", "[%a%d]", "[^%a%d]", "[a-f]", "[^a-f]", "[%w_]", "[a-]", "[-a]",
  "[]]", "[^]]", "[a%-z]", "[%z]", "[\0-\31]", "[\200-\255]", "[%W%s]", "[^%S]", "[z-a]", "[%%]", "[%]a]" }) do
  local p = #cl == 1 and cl ~= "." and ("%" .. cl) or cl
  case(function()
    local ranges, from = {}, nil
    for b = 0, 256 do
      local hit = b < 256 and string.find(all, "^" .. p, b + 1) ~= nil
      if hit and not from then from = b end
      if not hit and from then ranges[#ranges + 1] = from .. "-" .. (b - 1); from = nil end
    end
    return p .. " " .. concat(ranges, ",")
  end)
end

-- find: plain and special, init, anchors
local subjects = { "", "a", "hello world", "aaa", "abcabc", "x = 10, y = 20", "a.b.c", "  trim me  ", "one\0two\0",
  "[brackets]", "THE (quick) fox", "%escape%", "^caret$", "f(a(b)c)d", "THE quick BROWN fox" }
local patterns = { "", "a", "o", "l+", "l*", "l-", "l?", ".", "..", "^h", "d$", "^$", "%a+", "%d+", "%s+", "%S+",
  "%w+", "%p", "(%a+)", "(%a+) (%a+)", "()", "()a()", "%.", "[%a.]+", "[^%s]+", "^%s*(.-)%s*$", "(%d+)", "%b()",
  "%b[]", "%f[%a]%a+", "%f[%A]", "%f[%w]%w+%f[%W]", "(a)%1", "(b)(c)%2", "(%w)%1", "\0", "%z", "[%z]+", "a-b",
  "^(%^)", "%$", "(.)(.)(.)", ".-", ".-c", "x*$", "[abc]+", "[a-c]+", "[^a-c]+", "%u+", "%l+", "%x+", "(o)(r)?",
  "a.-b", "(%b())", "%(", "[%[%]]", "%%", "(%%)(%a+)(%%)" }
for _, s in ipairs(subjects) do
  for _, p in ipairs(patterns) do
    find(s, p)
    match(s, p)
  end
end
for _, init in ipairs({ 1, 2, 5, 11, 12, 13, 100, 0, -1, -3, -11, -12, -100, 2.7, "3" }) do
  find("hello world", "o", init)
  find("hello world", "", init)
  find("hello world", "l+", init)
  match("hello world", "(%a+)", init)
  find("hello world", "o w", init, true)
  find("a.b", ".", init, true)
end
find("a+b", "+", 1, true)
find("a+b", "a+", 1, true)
find("a+b", "a+b")
find("a+b", "a%+b")
find("abc", "b", nil, false)
find("abc", "[b]", nil, nil)
find(123456, 34)
find(12.5, "%.")
match(2^53, "%d+")

-- gmatch
for _, p in ipairs({ "%a+", "(%a+)", "(%a)(%a)", "()", "", "a*", "x*", "^a", "%d+", "(%w+)=(%w+)", ".", "%s*",
  "()a()", "[^,]*", "[^,]+", "(%a+)%s*" }) do
  gmatch("hello world from Lua", p)
  gmatch("k1=v1, k2=v2,,k3=", p)
  gmatch("aaa", p)
  gmatch("", p)
end

-- gsub: strings with %0-%9 and %%, tables, functions, limits, anchors, empty matches
local function upper(s) return tostring(s):upper() end
local function pair(a, b) return tostring(b) .. tostring(a) end
local function nothing() end
local function f_false() return false end
local function num(s) return #tostring(s) end
local repls = { "<%0>", "%1", "%1-%1", "%%", "x", "", "%2%1", "[%0%0]", 7, 1.5, { hello = "HI", world = 42 },
  { hello = false }, upper, pair, nothing, f_false, num }
for _, p in ipairs({ "%a+", "(%a+)", "(%a)(%a*)", "o", "", "x*", "^h", "^%a+", "l+$", "()", "(h)(e)", "%s" }) do
  for _, r in ipairs(repls) do
    gsub("hello world", p, r)
  end
end
for _, lim in ipairs({ 0, 1, 2, 3, 100, -1, 1.9, "2" }) do
  gsub("aaa", "a", "b", lim)
  gsub("abc", "", "-", lim)
end
gsub("abc", "%w", "%1")
gsub("hello", "(l)(l)", "%3")
gsub("hello", "l", "%x")
gsub("hello", "l", "%")
gsub("hello", "l", "%\0")
gsub("hello", "l", { l = {} })
gsub("hello", "l", function() return {} end)
gsub("hello", "l", function() return true end)
gsub("hello", "(l)", { l = 3.25 })
gsub("hello", "l", setmetatable({}, { __index = function(_, k) return k:upper() end }))
gsub("hello world", "%w+", "%0 %0", 1)
gsub("abc", "b*", "-")
gsub("abc", "b-", "-")
gsub("a,b,,c", ",", ";")
gsub("one\0two", "%z", "<0>")
gsub("one\0two", "\0", "%%")
gsub("  x  ", "^%s*(.-)%s*$", "%1")
gsub("$1.00", "%$", "USD ")
gsub("f(a(b)c)d", "%b()", "")
gsub("THE (quick) fox", "%f[%a]%a+", upper)
gsub("x", "x", "%0%0%0%0%0%0%0%0")
gsub(12345, 3, 9)
gsub("abc", "b", nil)
gsub("abc", "b", true)
gsub("abc", "(", "x")
gsub("abc", "%", "x")
gsub("abc", "[a", "x")

-- captures and back-references in depth
match("key = value", "(%w+)%s*=%s*(%w+)")
match("2024-01-31", "(%d+)-(%d+)-(%d+)")
match("abcabc", "(abc)%1")
match("abcabd", "(abc)%1")
match("xyzzy", "(z)%1")
match("hello", "()ll()")
match("hello", "(h)(e)(l)(l)(o)")
match("aaa", "(a*(.))%w")
match("[[nested]]", "%[(%b[])%]")
match("((a)(b))", "%((%b())")
match("ab", "(()a())")
match("abc", "((a)(b)(c))")
match("abab", "(a)(b)%1%2")
match(string.rep("a", 40), string.rep("(a)", 32))
match(string.rep("a", 40), string.rep("(a)", 33))
match("abc", "(()")
match("abc", "a)")
match("abc", "(a")
match("abc", "%1")
match("abc", "(a)%2")
match("abc", "(a%1)")
match("abc", "%0")
match("abc", "%")
match("abc", "%b")
match("abc", "%ba")
match("abc", "%f")
match("abc", "%fa")
match("abc", "[")
match("abc", "[^")
match("abc", "[a-")
match("abc", "[%")
match("abc", "[]")
match("abc", "[^]")
match("a]", "[]]")
match("a]", "[^]]+")
match(string.rep("a", 300), string.rep("a?", 300) .. string.rep("a", 300))
match(string.rep("a", 12), string.rep("a?", 12) .. string.rep("a", 12))
match("THE quick", "%f[%l]%l+")
match("end", "%f[%z]")
match("end", "d%f[%z]")
match("end", "d%f[%Z]")
match("x\0y", "%f[%z]")
match("a\0b", "[\0]")
match("a\0b", "a%zb")
match("a\0b", "a.b")
match("\255\128", "[\128-\255]+")
match("caf\195\169", "%a+")
match("-12.5e3", "^[+-]?%d+%.?%d*[eE]?[+-]?%d*$")
match("  x", "^%s*")
match("x", "^%s*")
match("", ".*")
match("", ".+")
match("", "()")
match("a", "a-$")
match("ab", "a-b")
match("aaab", "a-b")
match("aaab", "^a-")
match("aaab", "a+b")
match("b", "a*b")
match("b", "a?b")
match("ab", "a?b")
match("aab", "a?b")
match(".", "%.")
match("a", "%.")
match("$", "^$")
match("", "^$")
match("a$", "a$")
match("a$b", "a$b")
match("^a", "^^a")
match("a^", "a^")
find("abc", "^")
find("abc", "$")
find("", "")
find("", "", 1)
find("", "", 2)
find("abc", "", 4)
find("abc", "", 5)
match(nil, "x")
match("x", nil)
match({}, "x")
find("x")
gsub("x", "x")
gsub("x")
gmatch("x")
