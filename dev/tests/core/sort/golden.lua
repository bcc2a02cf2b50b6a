-- table.sort against C Lua 5.2: prints one line per case, the sorted values or "ERR <message>". eplua runs Lua 5.2's
-- own quicksort, so even the order of equal keys (records sorted by one field) and the cases that end with "invalid
-- order function for sorting" match. `lua5.2 golden.lua > expected.txt` writes the golden file; LibraryMatchesLua52Test
-- runs this on eplua (and on lua5.2 when installed) and compares.
local n = 0
local seed = 12345
local function rand(m) -- a small LCG: the same sequence in both Luas
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local function show(t)
  local out = {}
  for i = 1, #t do
    local v = t[i]
    out[i] = type(v) == "table" and (tostring(v.k) .. ":" .. tostring(v.id)) or tostring(v)
  end
  return table.concat(out, " ")
end

local function case(t, cmp)
  n = n + 1
  local ok, err = pcall(table.sort, t, cmp)
  if ok then print(n .. " " .. show(t)) else print(n .. " ERR " .. tostring(err):gsub("^[^:]*:%d+: ", "")) end
end

for _, size in ipairs({ 0, 1, 2, 3, 4, 5, 7, 8, 10, 16, 31, 50, 100 }) do
  local t = {}
  for i = 1, size do t[i] = rand(20) end
  case(t)
  local d = {}
  for i = 1, size do d[i] = rand(1000) end
  case(d, function(a, b) return a > b end)
  local r = {}
  for i = 1, size do r[i] = { k = rand(4), id = i } end
  case(r, function(a, b) return a.k < b.k end)
end
case({ "pear", "apple", "fig", "banana", "apple", "Zebra", "zebra", "" })
case({ 3, 1, 2 }, function(a, b) return true end)
case({ 5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 11, 15, 13, 12, 14, 10 }, function(a, b) return true end)
case({ 5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 11, 15, 13, 12, 14, 10 }, function(a, b) return a <= b end)
case({ 1, "x", 2 })
case({ 3, 2, 1 }, function(a, b) error("cmp failed") end)
case({ 2.5, -1, 1e10, -1e10, 0, 1 / 3 })
local mt = { __lt = function(a, b) return a.v < b.v end }
local objs = {}
for i = 1, 12 do objs[i] = setmetatable({ v = rand(50) }, mt) end
n = n + 1
table.sort(objs)
local vs = {}
for i = 1, #objs do vs[i] = objs[i].v end
print(n .. " " .. table.concat(vs, " "))
n = n + 1
print(n .. " " .. tostring(select(2, pcall(table.sort, "x"))):gsub("^[^:]*:%d+: ", ""):gsub("'[%w.]*sort'", "'sort'"))
n = n + 1
print(n .. " " .. tostring(select(2, pcall(table.sort, {}, 3))):gsub("^[^:]*:%d+: ", ""):gsub("'[%w.]*sort'", "'sort'"))
