-- require() finds the network modules' tables (EPLua and Lua habit): the very globals, no copies
T.eq(require("net"), net)
T.eq(require("http"), http)
T.eq(require("mqtt"), mqtt)
T.eq(type(require("net").HTTPClient), "function")
