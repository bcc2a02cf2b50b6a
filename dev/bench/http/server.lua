-- eplua HTTP server with a Lua handler (the benchmark target). ARGS[1] = port.
local srv = net.HTTPServer()
local port = assert(srv:start("127.0.0.1", tonumber(ARGS[1]), function(method, path, body, headers)
  return "hello world"
end))
print("eplua listening on " .. port)
