-- The sandbox profile: every capability it takes away raises an error that starts with "denied:" and names it.
local function denied(what, fn, ...)
  T.raises(fn, "denied: " .. what, ...)
end

denied("luajava.bindClass", function() return luajava.bindClass("java.lang.Runtime") end)
denied("luajava.newInstance", function() return luajava.newInstance("java.lang.Object") end)
denied("luajava.createProxy", function() return require("luajava").createProxy("java.lang.Runnable", {}) end)
denied("io.open", io.open, "/etc/passwd")
denied("io.popen", io.popen, "id")
denied("io.tmpfile", io.tmpfile)
denied("io.lines of a file", io.lines, "/etc/passwd")
denied("io.input of a file", io.input, "/etc/passwd")
denied("io.output of a file", io.output, "out.txt")
denied("os.execute", os.execute, "id")
denied("os.remove", os.remove, "out.txt")
denied("os.rename", os.rename, "a.txt", "b.txt")
denied("os.tmpname", os.tmpname)
denied("os.exit", os.exit, 3)
denied("loadfile", loadfile, "/etc/passwd")
denied("dofile", dofile, "/etc/passwd")
denied("package.loadlib", package.loadlib, "libc.so.6", "system")
for _, name in ipairs({ "getinfo", "sethook", "gethook", "getlocal", "setlocal", "getupvalue", "setupvalue",
  "getregistry", "getmetatable", "setmetatable", "upvalueid", "upvaluejoin", "getuservalue", "setuservalue" }) do
  denied("debug." .. name, debug[name], 1)
end
T.ok(debug.traceback("here"):find("here", 1, true), "debug.traceback stays")

-- no binary chunks: a dumped function does not load, whatever the mode asked for
local dumped = string.dump(function() return 1 end)
local f, err = load(dumped)
T.eq(f, nil)
T.ok(err:find("attempt to load a binary chunk", 1, true), err)
f, err = load(dumped, "dumped", "b")
T.eq(f, nil)
T.ok(err:find("denied: binary chunks", 1, true), err)
T.eq(load("return 6 * 7")(), 42, "text chunks load")

-- the environment: only what the host passed
T.eq(os.getenv("HOME"), nil)
T.eq(os.getenv("PATH"), nil)
T.eq(os.getenv("EPLUA_SANDBOX_VAR"), "given by the host")
T.eq(os.getenv("NOT_GIVEN", "fallback"), "fallback")
T.eq(_eplua.core.getenv("HOME"), nil, "the native primitive obeys too")

-- require: Lua files under the roots only
package.path = DEV_ROOT .. "/dev/tests/sandbox/lib/?.lua;" .. DEV_ROOT .. "/dev/lib/?.lua;"
  .. DEV_ROOT .. "/dev/tests/sandbox/lib/../../../lib/?.lua"
T.eq(require("sandboxed_module").answer, 42)
err = T.raises(function() return require("testlib") end, "module 'testlib' not found")
T.ok(err:find("under the sandbox's require roots", 1, true), err)
T.eq(package.searchpath("sandboxed_module", package.path), DEV_ROOT .. "/dev/tests/sandbox/lib/sandboxed_module.lua")
T.eq(package.searchpath("testlib", package.path), nil, "files outside the roots are not even found")
package.preload.virtual = function() return "preloaded" end
T.eq(require("virtual"), "preloaded")

-- the engine's own streams stay
io.write("written\n")
io.stdout:write("via stdout\n")
print("printed")
T.eq(io.type(io.stdout), "file")
T.eq(io.output(), io.stdout)
