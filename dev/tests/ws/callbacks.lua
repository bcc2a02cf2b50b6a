-- our WebSocket client against our WebSocket server, callback style: text, binary, events, close
local srv = net.WebSocketServer()
local connected, disconnected, started = T.expect(1, "server connected"), T.expect(1, "server disconnected"), T.expect(1, "started")
local port = assert(srv:start("127.0.0.1", 0, {
  started = function(p) started() end,
  connected = function(cid, path) T.eq(path, "/chat?x=1"); connected() end,
  disconnected = function(cid) disconnected() end,
  receive = function(cid, data, isBinary)
    srv:send(cid, "echo:" .. data, isBinary and { binary = true } or nil)
  end,
  error = function(err) error("server error " .. tostring(err)) end,
}))
T.ok(srv:isRunning())

local ws = net.WebSocketClient()
local onConn, onData = T.expect(1, "client connected"), T.expect(2, "client data")
local bin = "\0\1\2\255\254"
local received = {}
local done = false
ws:addEventListener("connected", function()
  onConn()
  T.ok(ws:isOpen())
  T.eq(#srv:getClients(), 1)
  ws:send("hello")
  ws:send(bin)
end)
ws:addEventListener("dataReceived", function(data, isBinary)
  received[#received + 1] = data
  onData()
  if #received == 2 then
    T.eq(received[1], "echo:hello")
    T.eq(received[2], "echo:" .. bin)
    T.ok(isBinary, "binary echoed as binary")
    ws:close()
  end
end)
ws:addEventListener("disconnected", function()
  T.ok(not ws:isOpen())
  -- sending on a closed socket is an error, not a crash
  local ok, err = ws:send("late")
  T.eq(ok, false)
  done = true
  srv:stop()
end)
ws:addEventListener("error", function(e) if not done then error("client error " .. tostring(e)) end end)
ws:connect("ws://127.0.0.1:" .. port .. "/chat?x=1")
