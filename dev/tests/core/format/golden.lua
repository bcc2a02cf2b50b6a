-- string.format against C Lua 5.2: prints one line per case, "<n> <result>" or "<n> ERR <message>", bytes outside
-- printable ASCII (and the backslash) as \ddd. `lua5.2 golden.lua > expected.txt` writes the golden file;
-- LibraryMatchesLua52Test runs this on eplua (and on lua5.2 when installed) and compares.
-- Left out on purpose (documented differences): 0/0 (glibc prints x86's sign bit: -nan), -0.0 (LuaJ has no
-- negative zero), %s of strings holding a zero byte (C's sprintf stops there), hex strings with a 'p' exponent,
-- a __tostring that returns no string (an error here; C Lua 5.2 hands sprintf a NULL).
local n = 0

local function escape(s)
  return (s:gsub(".", function(c)
    local b = c:byte()
    if b < 32 or b > 126 or b == 92 then return "\\" .. b end
  end))
end

local function call(f, ...)
  local r = string.format(f, ...) -- not a tail call: the error names 'format' in both Luas
  return r
end

local function case(f, ...)
  n = n + 1
  local ok, r = pcall(call, f, ...)
  if ok then
    print(n .. " " .. escape(r))
  else
    print(n .. " ERR " .. escape((tostring(r):gsub("^[^:]*:%d+: ", ""))))
  end
end

local ints = { 0, 1, -1, 7, 42, -42, 255, 4096, 65535, 123456789, -123456789, 2^31, -2^31, 2^32, 2^53, -2^53,
  2^62, 2^63, -2^63, 2^64, 3.7, -3.7, 0.5, -0.5, 0.999, -0.999, 1e15, 1e19, "10", " 0x1F ", "1e3", math.huge,
  -math.huge, -(0/0) }
local floats = { 0, 1, -1, 0.5, 1.5, 2.5, -2.5, 3.5, 0.125, 0.375, 9.5, 99.5, 0.05, 0.15, 0.25, 0.35, 0.1, 1/3, 2/3,
  -1/3, 123.456, 12345.678, 0.000123456, 1e-4, 1e-5, 1e-10, 123e-20, 999999.5, 9999995, 0.0000015, 123456789,
  1e15, 1e16, 1e21, 1e22, 1e100, 1e300, -1e300, 1e308, 1.7976931348623157e308, 1e-300, 5e-324, 2.2250738585072014e-308,
  2.225073858507201e-308, math.pi, -math.pi, 0.10199999999999998, 2^52 + 0.5, 2^63, 2^64, 1/1024, 0.9999995,
  9.9999999, 1e-7, 255.5, math.huge, -math.huge, -(0/0), "2.5", " 17 " }
local strings = { "", "a", "abc", "hello world", "tab\there", 12, 1.5, 1/3, 1e100, 2^63, -0.25, string.rep("xy", 60),
  "\200\201\255 bytes", "new\nline" }
local quoted = { "", "plain", "q\"uote", "back\\slash", "new\nline", "cr\rlf\n", "\0", "a\0b", "\0001", "\1\0012",
  "\127x", "\31\32", "\200\255", "tab\t9", 12, 12.5, 1/3, 1e100, -2^63, 2^53 }

-- A. every directive x flags x width x precision, values taken in turn
local flagsets = { "", "-", "+", " ", "#", "0", "-0", "+0", "-+ #0" }
local widths = { "", "8", "25" }
local precs = { "", ".0", ".3", ".12" }
local sweep = {
  d = { 42, -7, 0, 123456789 }, i = { -42, 3 }, u = { 42, 0, 4294967295 }, o = { 8, 0, 511 },
  x = { 255, 0, 3735928559 }, X = { 255, 0, 2^40 + 15 }, c = { 65, 122, 48 },
  e = { 1234.5678, -0.000123, 0, 1e100 }, E = { 1234.5678, -1e-300 }, f = { 1234.5678, -0.5, 0, 1e10 + 0.25 },
  g = { 1234.5678, -0.0001234, 0, 1e20, 100000 }, G = { 1e-10, 123456789 }, a = { 1, -0.1, 0, 1e300 },
  A = { 255.5, -1e-5 }, s = { "hello", 12.5, "", "a much longer string of text" },
}
for _, conv in ipairs({ "d", "i", "u", "o", "x", "X", "c", "e", "E", "f", "g", "G", "a", "A", "s" }) do
  local vals, k = sweep[conv], 0
  for _, fl in ipairs(flagsets) do
    for _, w in ipairs(widths) do
      for _, p in ipairs(precs) do
        k = k + 1
        case("[%" .. fl .. w .. p .. conv .. "]", vals[(k - 1) % #vals + 1])
      end
    end
  end
end

-- B. edge values with a few forms each
for _, conv in ipairs({ "d", "i", "u", "o", "x", "X" }) do
  for _, v in ipairs(ints) do
    for _, form in ipairs({ "", "5", "-12.3", "+.0", "#" }) do case("%" .. form .. conv, v) end
  end
end
for _, conv in ipairs({ "e", "E", "f", "g", "G", "a", "A" }) do
  for _, v in ipairs(floats) do
    for _, form in ipairs({ "", ".0", ".1", ".3", ".14", ".20", "#.0", "+012.3", "-12" }) do
      case("%" .. form .. conv, v)
    end
  end
end
for _, v in ipairs(floats) do case("%.99f", v) case("%99.99e", v) case("%.40g", v) case("%.30a", v) end
for _, v in ipairs({ 65, 97, 48, 32, 126, 0, 10, 255, 256 + 65, -191, 65.9, 1e100, "66" }) do
  case("%c", v) case("%-3c|", v) case("%5c", v)
end
for _, v in ipairs(strings) do
  for _, form in ipairs({ "", "5", "-5", ".2", "5.1", "-20.10", ".0", "99", ".99" }) do case("[%" .. form .. "s]", v) end
end
for _, v in ipairs(quoted) do case("%q", v) case("%10.3q", v) end
case("%s", setmetatable({}, { __tostring = function() return "from __tostring" end }))
case("%10.4s|", setmetatable({}, { __tostring = function() return "from __tostring" end }))
case("%s", setmetatable({}, { __tostring = function() return 42 end }))
case("%s", nil) case("%s", true) case("%5s", false)

-- C. whole strings: several directives, literal text, binary format strings, errors
case("%5.2f", 1/3) case("%.4f", 0.10199999999999998) case("%e", 12345.678) case("%.2e", 12345.678)
case("%g", 12345.678) case("%g", 1e-4) case("%10.3g|", 12345.678) case("%5s|%-5s|%.2s", "ab", "cd", "efgh")
case("%a", 1) case("%d items at %5.1f%% = %s", 3, 12.345, "ok") case("%%") case("100%%") case("no directives")
case("%d%s%d", 1, "-", 2) case("a\0b%dc\0", 5) case("\200%s\255", "\1") case("%5d|%-5d|%05d|%+d|% d|%.3d", 1, 2, 3, 4, 5, 6)
case("%#x %#X %#o", 255, 255, 8) case("%5.1s|", "xyz") case("%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5)
case("%.20f", 0.1) case("%.3d", -5) case("%-+8.3d|", 42) case("%+.3e", 1e-7)
case("%d") case("%d", nil) case("%d", "x") case("%d", {}) case("%d", 3.5) case("%d", 2^63) case("%d", 0/0)
case("%x", -1) case("%x", 2^64) case("%u", -1) case("%c", "x") case("%s") case("%q", {}) case("%q")
case("%y", 1) case("%", 1) case("%5", 1) case("%.", 1) case("%-", 1) case("%ld", 1) case("%hd", 1) case("%n", 1)
case("%123d", 1) case("%1.123d", 1) case("%.123d", 1) case("%------d", 1) case("%-----d|", 1) case("%++++++d", 1)
case("%10.2y", 1) case("%y") case("%d %d", 1) case("%s %s %s", 1, 2) case(12) case(12.5, 1) case(nil) case({})
case("%d", "0x10") case("%f", "1e2") case("%5.1f|", "  3.25  ")
