-- require finds the built-in modules: it returns the very tables their globals hold.
T.eq(require("json"), json)
local j = require("json")
T.eq(j.encode({1, 2}), "[1,2]")
T.eq(package.loaded.json, json, "loaded once, like any module")
local ok, err = pcall(require, "no_such_module_here")
T.eq(ok, false)
T.ok(tostring(err):find("no_such_module_here", 1, true), err)
