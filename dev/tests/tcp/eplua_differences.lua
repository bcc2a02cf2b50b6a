-- EPLua's TCP behaviour: TCPServer:start(nil, port) listens on 127.0.0.1; stop() has closed the port when it
-- returns, so a connect right after is refused (not accepted and then reset).
local srv = net.TCPServer()
local port = T.ok(srv:start(nil, 0, function(client, ip)
  client:send(ip .. "\n")
  client:close()
end))
local s = create_tcp_socket()
T.ok(s:connect_async("127.0.0.1", port))
T.eq(s:receive_async("*l"), "127.0.0.1", "a nil host listens on 127.0.0.1")
s:close()

for i = 1, 20 do
  local server = net.TCPServer()
  local p = T.ok(server:start("127.0.0.1", 0, function(c) c:close() end))
  server:stop()
  local ok, err = create_tcp_socket():connect_async("127.0.0.1", p)
  T.eq(ok, nil, "round " .. i)
  T.eq(err:match("^%a+"), "refused", "round " .. i .. ": " .. tostring(err))
end

-- the same from a callback (a task of its own): stop() there too
local done = T.expect(1, "stopped from a callback")
local other = net.TCPServer()
local op = T.ok(other:start("127.0.0.1", 0, function(c)
  other:stop()
  local ok, err = create_tcp_socket():connect_async("127.0.0.1", op_port)
  T.eq(ok, nil); T.eq(err:match("^%a+"), "refused", err)
  c:close()
  done()
end))
op_port = op
local trigger = create_tcp_socket()
T.ok(trigger:connect_async("127.0.0.1", op))
T.eq(trigger:receive_async(), nil, "closed by the server")
trigger:close()
srv:stop()
