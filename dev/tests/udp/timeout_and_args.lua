-- receive timeouts (both styles), argument checks, bind conflicts
local s = create_udp_socket()
T.ok(s:bind("127.0.0.1", 0))
s:settimeout(0.1)
local d, e = s:receive_async()
T.eq(d, nil); T.ok(e:find("^timeout"), e)
-- a datagram that arrives after a timeout is still delivered to the next receive
local other = create_udp_socket()
local _, port = s:getsockname()
T.ok(other:send_to_async("late", "127.0.0.1", port))
T.eq(s:receive_async(), "late")

local timed_out = T.expect(1, "callback timeout")
local u = net.UDPSocket({ timeout = 100 })
T.ok(u:bind("127.0.0.1", 0))
u:receive({
  success = function() error("nothing was sent") end,
  error = function(err) T.ok(err:find("^timeout"), err); timed_out(); u:close() end,
})

-- the same port twice: a bind error value, not an exception
local taken = create_udp_socket()
local ok, err = taken:bind("127.0.0.1", port)
T.eq(ok, nil); T.ok(err:find("^bind"), err)

T.raises(function() s:bind("127.0.0.1", 65536) end, "port out of range")
T.raises(function() s:bind(1, 0) end, "bad argument #1 to 'bind'")
T.raises(function() s:send_to_async({}, "127.0.0.1", 1) end, "bad argument #1 to 'send_to_async'")
T.raises(function() s:send_to_async("x", "127.0.0.1", 0) end, "port out of range")
T.raises(function() u:sendTo("x", "127.0.0.1", 9, 5) end, "bad argument #4 to 'sendTo'")
T.raises(function() net.UDPSocket("x") end, "bad argument #1 to 'UDPSocket'")
s:close(); other:close()
