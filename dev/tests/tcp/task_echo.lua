-- task style: create_tcp_server/accept_async and create_tcp_socket with every receive pattern, binary-safe
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local payload = table.concat(bytes)

-- receive_async(n) gives up to n bytes as soon as any are there: n exactly takes a loop
local function receive_exactly(sock, n)
  local parts, have = {}, 0
  while have < n do
    local d = T.ok(sock:receive_async(n - have))
    parts[#parts + 1] = d
    have = have + #d
  end
  return table.concat(parts)
end

local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))

-- the server side: a line protocol, then an exact-length binary echo
local served = spawn(function()
  local c = T.ok(server:accept_async())
  T.ok(c:is_open())
  local line = T.ok(c:receive_async("*l"))
  T.eq(line, "hello")
  local crlf = T.ok(c:receive_async("*l"))
  T.eq(crlf, "with crlf", "CR before LF is dropped")
  local data = receive_exactly(c, 256)
  T.eq(#data, 256)
  T.eq(c:send_async(data), 256)
  T.eq(c:send_async("tail"), 4)
  T.ok(c:close())
  T.ok(not c:is_open())
  return true
end)

local s = create_tcp_socket()
s:settimeout(5)
T.eq(s:is_open(), false, "not open before connect")
T.eq(s:connect_async("127.0.0.1", port), true)
T.ok(s:is_open())
local ip, p = s:getpeername()
T.eq(ip, "127.0.0.1"); T.eq(p, port)
T.eq(s:send_async("hel"), 3)
T.eq(s:send_async("lo\nwith crlf\r\n"), 14)
-- 0..255 in two pieces so the server's exact read spans two writes
T.ok(s:send_async(payload:sub(1, 100)))
T.ok(s:send_async(payload:sub(101)))
T.eq(receive_exactly(s, 256), payload, "binary echo")
T.eq(s:receive_async("*a"), "tail", "*a reads until the peer closes")
local d, err = s:receive_async()
T.eq(d, nil); T.ok(err:find("^closed"), err)
T.ok(served:await())
s:close()
server:close()
local c, e2 = server:accept_async()
T.eq(c, nil); T.ok(e2:find("^closed"), e2)
