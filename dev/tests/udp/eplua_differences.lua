-- EPLua's UDP spelling: sock:send(host, port, data, cb) is sendTo(data, host, port, cb) in another order
local peer = create_udp_socket()
local pport = T.ok(peer:bind("127.0.0.1", 0))
local sent = T.expect(1, "send callback")
local u = net.UDPSocket()
u:send("127.0.0.1", pport, "eplua order", { success = function(n) T.eq(n, 11); sent() end,
  error = function(e) error(e) end })
local data = peer:receive_async()
T.eq(data, "eplua order")
T.raises(function() u:send(42, pport, "x") end, "bad argument #1 to 'send'")
T.raises(function() u:send("127.0.0.1", 0, "x") end, "bad argument #2 to 'send'")
u:close(); peer:close()
