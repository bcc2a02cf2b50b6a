-- task style on both sides: accept_async / receive_async / send_async, timeouts, closed, refused
local srv = net.WebSocketServer()
local port = assert(srv:start("127.0.0.1", 0))
local base = "ws://127.0.0.1:" .. port .. "/"

local server = spawn(function()
  local conn = assert(srv:accept_async(5000))
  T.eq(type(conn.id), "number")
  while true do
    local data, isBinary = conn:receive_async()
    if data == nil then return isBinary end -- the error
    if data == "bye" then conn:close() else assert(conn:send_async(isBinary and data or data:upper(), isBinary and { binary = true } or nil)) end
  end
end)

local c = net.WebSocketClient()
assert(c:connect_async(base))
T.ok(c:isOpen())
assert(c:send_async("abc"))
T.eq(c:receive_async(2000), "ABC")
local big = string.rep("x", 200000)
assert(c:send_async(big))
T.eq(#c:receive_async(2000), 200000)
local data, isBinary = (function() assert(c:send_async("\255\0", { binary = true })); return c:receive_async(2000) end)()
T.eq(data, "\255\0"); T.eq(isBinary, true)
local d, err = c:receive_async(30)
T.eq(d, nil); T.eq(err, "timeout")
assert(c:send_async("bye"))
local d2, err2 = c:receive_async(2000)
T.eq(d2, nil); T.eq(err2:match("^%a+"), "closed")
T.eq(server:await(), "closed")
local _, e3 = c:send_async("x")
T.eq(e3:match("^%a+"), "closed")

local _, aerr = srv:accept_async(20)
T.eq(aerr, "timeout")
srv:stop()
T.ok(not srv:isRunning())

-- refused: a port that is bound but does not listen (the local end of a connected TCP socket; a server just stopped
-- may still take a connection and reset it); a bad url is misuse
local probe = create_tcp_server()
local holder = create_tcp_socket()
T.ok(holder:connect_async("127.0.0.1", T.ok(probe:listen("127.0.0.1", 0))))
local _, dead = holder:getsockname()
local r = net.WebSocketClient()
local ok, rerr = r:connect_async("ws://127.0.0.1:" .. dead .. "/")
T.eq(ok, nil); T.ok(rerr:match("^refused"), rerr)
holder:close(); probe:close()
T.raises(function() net.WebSocketClient():connect_async("http://x/") end, "bad argument #1 to 'connect_async'")

-- a peer that is not a WebSocket server: the handshake fails with a clear error
local web = net.HTTPServer()
local wport = assert(web:start("127.0.0.1", 0, function() return "plain http", 404 end))
local hc = net.WebSocketClient()
local hok, herr = hc:connect_async("ws://127.0.0.1:" .. wport .. "/")
T.eq(hok, nil)
T.ok(herr:match("^protocol: websocket handshake rejected"), herr)
T.ok(not hc:isOpen())
-- callback style gets the same as an "error" event
local evErr = T.expect(1, "handshake error event")
local hc2 = net.WebSocketClient()
hc2:addEventListener("error", function(e) T.ok(e:match("^protocol: websocket handshake rejected"), e); evErr(); web:stop() end)
hc2:addEventListener("connected", function() error("must not connect") end)
hc2:connect("ws://127.0.0.1:" .. wport .. "/")
