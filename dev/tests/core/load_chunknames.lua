-- Chunks given to load keep Lua 5.2's "chunkname:line:" form, in runtime errors, syntax errors and tracebacks.
local function run(...)
  local f, err = load(...)
  if not f then return err end
  local ok, e = pcall(f)
  return e
end
T.eq(run("for i=1,nil do end"), [=[[string "for i=1,nil do end"]:1: 'for' limit must be a number]=])
T.eq(run("local x = 1\nfor i=1,nil do end"), [=[[string "local x = 1..."]:2: 'for' limit must be a number]=])
T.eq(run("\n for i=1,nil do end", "=name"), "name:2: 'for' limit must be a number")
T.eq(run("\n for i=1,nil do end", "@file.lua"), "file.lua:2: 'for' limit must be a number")
T.eq(run("local t = nil; for i = 1, t do end", "mychunk"), [=[[string "mychunk"]:1: 'for' limit must be a number]=])
T.eq(run("error('boom')"), [=[[string "error('boom')"]:1: boom]=])
T.eq(run("local s = string.format('x: %d', nil)"),
  [=[[string "local s = string.format('x: %d', nil)"]:1: bad argument #2 to 'format' (number expected, got nil)]=])
local long = "local a = 1 -- " .. string.rep("x", 60) .. "\nerror('deep')"
T.eq(run(long), '[string "local a = 1 -- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."]:2: deep')
T.eq(run("error('x')", "=" .. string.rep("n", 70)), string.rep("n", 59) .. ":1: x")
T.eq(run("error('x')", "@" .. string.rep("d/", 40) .. "f.lua"), ".../" .. string.rep("d/", 25) .. "f.lua:1: x")
-- the Lua 5.2 idiom that finds the line number in a message
T.eq(run("local a\nlocal b\nlocal c = nil + 1"):match(":(%d+):"), "3")
-- syntax errors
T.eq(select(2, load("x = = 1")):match("^(.-:%d+:)"), '[string "x = = 1"]:1:')
T.eq(select(2, load("\nx = = 1", "=name")):match("^(.-:%d+:)"), "name:2:")
T.eq(select(2, load("x = = 1", "@file.lua")):match("^(.-:%d+:)"), "file.lua:1:")
-- tracebacks and debug.getinfo name it too
local f = load("return debug.traceback('tb'), debug.getinfo(1, 'S').short_src")
local tb, short = f()
T.eq(short, '[string "return debug.traceback(\'tb\'), debug.getinfo(1..."]')
T.ok(tb:find('[string "return debug.traceback(', 1, true), tb)
-- functions as chunk sources, env and mode still work
local parts = { "return ", "1 + ", "41" }
T.eq(load(function() return table.remove(parts, 1) end)(), 42)
T.eq(load("return x", "c", "t", { x = 7 })(), 7)
T.eq(select(2, load("return 1", "c", "b")):match("attempt to load a text chunk") ~= nil, true)
-- dofile: errors in a file read as "file:line:" without LuaJ's "@"
local path = DEV_ROOT .. "/eplua-core/target/chunknames_dofile.lua"
local fh = assert(io.open(path, "w"))
fh:write("local x = 1\nfor i = x, nil do end\n")
fh:close()
local ok, e = pcall(dofile, path)
os.remove(path)
T.eq(ok, false)
local shown = #path < 60 and path or "..." .. path:sub(-56) -- "@" .. path, as Lua names it
T.eq(e, shown .. ":2: 'for' limit must be a number")
