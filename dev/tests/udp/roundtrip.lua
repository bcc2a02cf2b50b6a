-- UDP round trip, callback style and task style, binary-safe (every byte value 0..255)
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local payload = table.concat(bytes)

-- task-style echo peer
local peer = create_udp_socket()
local pport = T.ok(peer:bind("127.0.0.1", 0))
T.ok(pport > 0)
local echo = spawn(function()
  for _ = 1, 2 do
    local data, ip, port = peer:receive_async()
    T.ok(data, ip)
    T.eq(ip, "127.0.0.1")
    T.ok(peer:send_to_async(data, ip, port))
  end
end)

-- task-style client
local c = create_udp_socket()
c:settimeout(5)
T.ok(c:bind("127.0.0.1", 0))
T.eq(c:send_to_async(payload, "127.0.0.1", pport), 256)
local data, ip, port = c:receive_async()
T.eq(data, payload, "binary round trip (task style)")
T.eq(ip, "127.0.0.1"); T.eq(port, pport)
c:close()
local d2, e2 = c:receive_async()
T.eq(d2, nil); T.ok(e2:find("^closed"), e2)

-- callback-style client, never bound explicitly: the first send opens it on any port
local got = T.expect(1, "callback reply")
local u = net.UDPSocket({ timeout = 5000 })
u:sendTo(payload:reverse(), "127.0.0.1", pport, {
  success = function(n)
    T.eq(n, 256)
    u:receive({
      success = function(d, rip, rport)
        T.eq(d, payload:reverse(), "binary round trip (callback style)")
        T.eq(rip, "127.0.0.1"); T.eq(rport, pport)
        got()
        u:close()
      end,
      error = function(e) error("receive: " .. e) end,
    })
  end,
  error = function(e) error("sendTo: " .. e) end,
})
echo:await()
peer:close()
