-- eplua.metrics() counts the sockets and servers a script opens, by kind, and forgets them once closed
local function open(kind) return eplua.metrics().resources[kind] or 0 end
T.eq(open("tcp"), 0); T.eq(open("tcp-server"), 0)
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
T.eq(open("tcp-server"), 1)
local accepted = spawn(function() return T.ok(server:accept_async()) end)
local s = create_tcp_socket()
T.eq(s:connect_async("127.0.0.1", port), true)
local c = accepted:await()
T.eq(open("tcp"), 2, "both ends of the connection")
local m = eplua.metrics()
T.ok(m.tasks_started >= 2 and m.callbacks_run >= m.tasks_started, "turns counted")
s:close(); c:close(); server:close()
for _ = 1, 200 do -- a socket leaves when its channel has closed
  if open("tcp") + open("tcp-server") == 0 then break end
  sleep(0.01)
end
T.eq(open("tcp"), 0); T.eq(open("tcp-server"), 0)
