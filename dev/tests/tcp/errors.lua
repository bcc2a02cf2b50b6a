-- refused connections, peer closing mid-read, read timeouts: every failure is a value, never an exception
-- a port nobody listens on: the local port of a connected client socket (bound, not listening). (A port whose
-- server was just closed is not reliably refused at once: NIO closes a registered listening socket only at the
-- loop's next select, so a connect in the same loop turn is accepted by the kernel and then reset.)
local probe = create_tcp_server()
local probe_port = T.ok(probe:listen("127.0.0.1", 0))
local holder = create_tcp_socket()
T.ok(holder:connect_async("127.0.0.1", probe_port))
local _, dead = holder:getsockname()
T.ok(dead > 0)

-- refused, task style
local s = create_tcp_socket()
local ok, err = s:connect_async("127.0.0.1", dead)
T.eq(ok, nil); T.ok(err:find("^refused"), err)
T.eq(s:is_open(), false)
local d, e = s:receive_async()
T.eq(d, nil); T.ok(e:find("^closed"), e)

-- refused, callback style
local refused = T.expect(1, "refused callback")
net.TCPSocket():connect("127.0.0.1", dead, {
  success = function() error("should not connect") end,
  error = function(e2) T.ok(e2:find("^refused"), e2); refused() end,
})

-- peer closes mid-read: the server sends 3 of the 10 bytes the client waits for, then closes
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
spawn(function()
  local c = T.ok(server:accept_async())
  T.ok(c:send_async("abc"))
  c:close()
end)
local c = create_tcp_socket()
T.ok(c:connect_async("127.0.0.1", port))
T.eq(c:receive_async(10), "abc", "at the end of the stream the bytes that did arrive come first")
d, e = c:receive_async(10)
T.eq(d, nil); T.eq(e, "closed", "then nil, closed")
c:close()

-- read timeout, task style: the socket stays usable afterwards
spawn(function()
  local peer = T.ok(server:accept_async())
  T.eq(peer:receive_async("*l"), "ping")
  T.ok(peer:send_async("pong\n"))
  peer:receive_async() -- until the client closes
  peer:close()
end)
local t = create_tcp_socket()
t:settimeout(0.1)
T.ok(t:connect_async("127.0.0.1", port))
local t0 = os.clock()
d, e = t:receive_async("*l")
T.eq(d, nil); T.ok(e:find("^timeout"), e)
T.ok(t:send_async("ping\n"))
T.eq(t:receive_async("*l"), "pong", "usable after a timeout")
t:close()

-- read timeout, callback style (opts.timeout in ms)
local timed_out = T.expect(1, "callback timeout")
spawn(function()
  local peer = T.ok(server:accept_async())
  peer:receive_async()
  peer:close()
end)
local cb = net.TCPSocket({ timeout = 100 })
cb:connect("127.0.0.1", port, {
  success = function()
    cb:read({
      success = function() error("nothing was sent") end,
      error = function(e3)
        T.ok(e3:find("^timeout"), e3); timed_out(); cb:close(); server:close()
      end,
    })
  end,
  error = function(e3) error("connect: " .. e3) end,
})

-- operations on a socket that never connected
local never = net.TCPSocket()
local nc = T.expect(1, "not connected")
never:send("x", { error = function(e4) T.ok(e4:find("^closed"), e4); nc() end })
holder:close()
probe:close()
