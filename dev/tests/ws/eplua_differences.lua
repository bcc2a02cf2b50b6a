-- EPLua's WebSocket behaviour: WebSocketServer:send to an unknown client returns false, err and fires the error
-- event; removeEventListener(name) without a function removes every listener of the event; start(nil, port) listens
-- on 127.0.0.1; WebSocketServer(opts, true) (background) is accepted.
local errors = {}
local srv = net.WebSocketServer({}, true)
local port = T.ok(srv:start(nil, 0, {
  receive = function(cid, data) srv:send(cid, "echo " .. data) end,
  error = function(err, cid) errors[#errors + 1] = { err, cid } end,
}))

local ok, err = srv:send(4242, "nobody")
T.eq(ok, false); T.eq(err:match("^%a+"), "closed", err)
while #errors == 0 do sleep(0.01) end
T.eq(errors[1][1], err, "the error event carries the same error")
T.eq(errors[1][2], 4242, "and the client id")

local client = net.WebSocketClient()
local heard = {}
local function a() heard[#heard + 1] = "a" end
local function b() heard[#heard + 1] = "b" end
client:addEventListener("dataReceived", a)
client:addEventListener("dataReceived", b)
client:removeEventListener("dataReceived") -- every listener of the event
local got = nil
client:addEventListener("dataReceived", function(data) got = data end)
T.ok(client:connect_async("ws://127.0.0.1:" .. port .. "/"))
T.ok(client:send_async("hi"))
while got == nil do sleep(0.01) end
T.eq(got, "echo hi")
T.eq(#heard, 0, "the removed listeners heard nothing")
client:close()
srv:stop()
