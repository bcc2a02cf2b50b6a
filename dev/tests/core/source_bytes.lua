-- Lua files are read as bytes: dofile, loadfile and require keep non-UTF-8 bytes in string literals
-- (E1 E9 is "áé" in Latin-1; decoded as UTF-8 and written back it would be six bytes).
local dir = DEV_ROOT .. "/eplua-core/target"
local path = dir .. "/source_bytes_mod.lua"
local f = assert(io.open(path, "wb"))
f:write('local s = "\225\233"\nreturn #s, s:byte(1), s:byte(2)\n')
f:close()
T.eq(select("#", dofile(path)), 3)
local n, a, b = dofile(path)
T.eq(n, 2)
T.eq(a, 0xE1)
T.eq(b, 0xE9)
T.eq(loadfile(path)(), 2)
package.path = dir .. "/?.lua;" .. package.path
T.eq(require("source_bytes_mod"), 2)
os.remove(path)
-- a literal with the same bytes written as escapes is the same string
T.eq(#"\225\233", 2)
