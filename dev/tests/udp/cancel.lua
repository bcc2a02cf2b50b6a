-- task:cancel() reaches a UDP receive: a cancelled receive takes no datagram away from the next one, and a socket the
-- cancelled task opened is closed.
local target = create_udp_socket()
local tport = T.ok(target:bind("127.0.0.1", 0))
local sender = create_udp_socket()

local waiting = false
local r = spawn(function() waiting = true; return target:receive_async() end)
while not waiting do yield() end
r:cancel()
T.ok(sender:send_to_async("dgram", "127.0.0.1", tport))
local data, ip = target:receive_async()
T.eq(data, "dgram", "the datagram goes to the next receive")
T.eq(ip, "127.0.0.1")

local own
local opener = spawn(function()
  own = create_udp_socket()
  T.ok(own:bind("127.0.0.1", 0))
  waiting = "own"
  return own:receive_async()
end)
while waiting ~= "own" do yield() end
opener:cancel()
local d, err = own:receive_async()
T.eq(d, nil); T.eq(err:match("^%a+"), "closed", "the cancelled task's socket was closed")

-- the non-blocking receive sees the same queue
target:set_non_blocking(true)
d, err = target:receive()
T.eq(d, nil); T.eq(err, "timeout")
T.ok(sender:send_to_async("later", "127.0.0.1", tport))
repeat d, err = target:receive(); if not d then T.eq(err, "timeout"); yield() end until d
T.eq(d, "later")
target:close(); sender:close()
d, err = target:receive()
T.eq(d, nil); T.eq(err, "closed")
