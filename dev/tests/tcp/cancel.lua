-- task:cancel() reaches the network: the read, accept or connect the task waits in ends (nothing it would have
-- received is lost to it), and the sockets the task opened (or took with accept_async) are closed, unless detached.
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))

-- a task cancelled in receive_async: the socket it opened is closed, the peer sees the end of the stream
local accepting = spawn(function() return T.ok(server:accept_async()) end)
local reading = false
local reader = spawn(function()
  local s = create_tcp_socket()
  T.ok(s:connect_async("127.0.0.1", port))
  reading = true
  return s:receive_async()
end)
local peer = accepting:await(5000)
while not reading do yield() end
T.eq(reader:cancel(), true)
T.eq(reader:status(), "cancelled")
local d, err = peer:receive_async()
T.eq(d, nil); T.eq(err, "closed", "the peer sees the cancelled task's socket closed")
peer:close()

-- a cancelled read leaves the queue: the bytes go to the next read (the socket is the main chunk's: it stays open)
accepting = spawn(function() return T.ok(server:accept_async()) end)
local s = create_tcp_socket()
T.ok(s:connect_async("127.0.0.1", port))
peer = accepting:await(5000)
local waiting = false
local r2 = spawn(function() waiting = true; return s:receive_async() end)
while not waiting do yield() end
r2:cancel()
T.ok(s:is_open(), "not the cancelled task's socket: still open")
T.ok(peer:send_async("x"))
T.eq(s:receive_async(), "x", "the byte goes to the next read, not to the cancelled one")

-- a cancelled accept leaves the queue too: the next client goes to the next accept
local accept_waiting = false
local a = spawn(function() accept_waiting = true; return server:accept_async() end)
while not accept_waiting do yield() end
a:cancel()
local c3 = create_tcp_socket()
T.ok(c3:connect_async("127.0.0.1", port))
local p3 = T.ok(server:accept_async())
T.ok(p3:send_async("to the main chunk"))
T.eq(c3:receive_async(), "to the main chunk")

-- a socket taken with accept_async belongs to the task that took it
local taken = false
local handler = spawn(function()
  local conn = T.ok(server:accept_async())
  taken = true
  return conn:receive_async()
end)
local c4 = create_tcp_socket()
T.ok(c4:connect_async("127.0.0.1", port))
while not taken do yield() end
handler:cancel()
d, err = c4:receive_async()
T.eq(d, nil); T.eq(err, "closed", "the accepting task's connection was closed with it")

-- detached, a socket outlives the task that opened it
local kept
local opener = spawn(function()
  kept = create_tcp_socket():detach()
  T.ok(kept:connect_async("127.0.0.1", port))
  waiting = "kept"
  return kept:receive_async()
end)
local p5 = T.ok(server:accept_async())
while waiting ~= "kept" do yield() end
opener:cancel()
T.ok(kept:is_open(), "detached: still open")
T.ok(p5:send_async("kept"))
T.eq(kept:receive_async(), "kept")

-- a callback-style server started by a task that ends normally keeps running
local starter = spawn(function()
  local srv = net.TCPServer()
  local p = T.ok(srv:start("127.0.0.1", 0, function(client) client:send("hi"); client:close() end))
  return srv, p
end)
local srv, p6 = starter:await(5000)
local c6 = create_tcp_socket()
T.ok(c6:connect_async("127.0.0.1", p6))
T.eq(c6:receive_async("*a"), "hi", "a normal end leaves what the task opened open")
srv:stop()

for _, x in ipairs({ peer, s, c3, p3, c4, kept, p5, c6 }) do x:close() end
server:close()
