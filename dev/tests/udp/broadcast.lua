-- SO_BROADCAST only when asked: to the loopback broadcast address 127.255.255.255 a plain socket is denied,
-- a socket opened with {broadcast=true} sends, and a receiver on the wildcard address gets the datagram
local rx = create_udp_socket()
rx:settimeout(5)
local port = T.ok(rx:bind("0.0.0.0", 0))

local plain = create_udp_socket()
local ok, err = plain:send_to_async("no", "127.255.255.255", port)
T.eq(ok, nil); T.ok(err:find("^denied"), err)

local got = T.expect(1, "broadcast received")
local b = net.UDPSocket({ broadcast = true })
b:sendTo("hello all", "127.255.255.255", port, {
  success = function(n) T.eq(n, 9) end,
  error = function(e) error("broadcast send: " .. e) end,
})
local data = T.ok(rx:receive_async())
T.eq(data, "hello all")
got()
b:close(); plain:close(); rx:close()
