-- task:cancel() reaches WebSocket waits: a cancelled receive_async takes no message away from the next one; a client
-- the cancelled task connected is closed (its server side sees it go); a cancelled accept_async leaves the queue.
local srv = net.WebSocketServer()
local port = T.ok(srv:start("127.0.0.1", 0))
local url = "ws://127.0.0.1:" .. port .. "/"

local client = net.WebSocketClient()
local accepting = spawn(function() return T.ok(srv:accept_async(5000)) end)
T.ok(client:connect_async(url))
local conn = accepting:await(5000)

local waiting = false
local r = spawn(function() waiting = true; return client:receive_async() end)
while not waiting do yield() end
r:cancel()
T.ok(conn:send_async("hello"))
T.eq(client:receive_async(2000), "hello", "the message goes to the next receive")

-- a cancelled accept leaves the queue
waiting = false
local a = spawn(function() waiting = true; return srv:accept_async() end)
while not waiting do yield() end
a:cancel()
local own
local opener = spawn(function()
  own = net.WebSocketClient()
  T.ok(own:connect_async(url))
  waiting = "own"
  return own:receive_async()
end)
local conn2 = T.ok(srv:accept_async(5000), "the next client goes to the next accept")
while waiting ~= "own" do yield() end
opener:cancel()
local d, err = conn2:receive_async(5000)
T.eq(d, nil); T.eq(err:match("^%a+"), "closed", "the cancelled task's client was closed")
T.eq(own:isOpen(), false)

client:close(); conn:close()
srv:stop()
