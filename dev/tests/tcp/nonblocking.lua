-- SignaKit's non-blocking calls on create_tcp_socket() objects: connect/send/receive suspend like the *_async twins
-- by default; after set_non_blocking(true) they return at once (receive: nil, "timeout" when nothing is there yet).
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
local peer
local accepted = spawn(function() peer = T.ok(server:accept_async()) end)

-- blocking style (the default): the same as the *_async methods
local b = create_tcp_socket()
T.eq(b:is_connected(), false)
T.eq(b:connect("127.0.0.1", port), true)
T.eq(b:is_connected(), true)
accepted:await()
T.eq(b:send("one\n"), 4)
T.eq(peer:receive("*l"), "one", "blocking receive on the accepted socket")
T.ok(peer:send("xyz"))
T.eq(b:receive(2), "xy", "up to n bytes")
T.eq(b:receive(), "z")

-- non-blocking
T.eq(b:set_non_blocking(true), true)
local d, err = b:receive()
T.eq(d, nil); T.eq(err, "timeout", "nothing there yet")
T.eq(b:send("two\nthree"), 9, "queued, counted at once")
T.eq(peer:receive("*l"), "two")
peer:send_async("partial")
repeat -- a frame loop, SignaKit style
  d, err = b:receive(3)
  if not d then T.eq(err, "timeout"); yield() end
until d
T.eq(d, "par", "up to n bytes, as soon as there are some")
d, err = b:receive("*l")
T.eq(d, nil); T.eq(err, "timeout", "no newline yet: a line is not there")
peer:send_async("\nrest")
local line
repeat line, err = b:receive("*l"); if not line then yield() end until line
T.eq(line, "tial")
repeat d = b:receive(); if not d then yield() end until d
T.eq(d, "rest")
peer:close()
repeat d, err = b:receive(); if err == "timeout" then yield() end until err ~= "timeout"
T.eq(d, nil); T.eq(err, "closed", "the end of the stream")
b:close()

-- non-blocking connect: true at once, is_connected() turns true
local nb = create_tcp_socket()
T.eq(nb:set_non_blocking(true), true)
local second = spawn(function() return T.ok(server:accept_async()) end)
T.eq(nb:connect("127.0.0.1", port), true)
while not nb:is_connected() do yield() end
local other = second:await()
T.eq(nb:send("hi"), 2)
T.eq(other:receive_async(2), "hi")
other:close(); nb:close()

-- non-blocking connect to a port nobody listens on: the failure shows at the next receive
local gone = create_tcp_server()
local free = T.ok(gone:listen("127.0.0.1", 0))
gone:close()
local r = create_tcp_socket()
r:set_non_blocking(true)
T.eq(r:connect("127.0.0.1", free), true)
repeat d, err = r:receive(); if err == "timeout" then yield() end until err ~= "timeout"
T.eq(d, nil); T.eq(err:match("^%a+"), "refused", err)
T.eq(r:is_connected(), false)
r:close()
server:close()
