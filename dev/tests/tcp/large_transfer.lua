-- 4 MiB each way through one connection, more than the inbound buffer limit (1 MiB): reads that lag behind
-- pause the socket and resume it; nothing is lost or reordered
local chunk = {}
for i = 0, 65535 do chunk[#chunk + 1] = string.char(i % 251) end
chunk = table.concat(chunk)          -- 64 KiB, a pattern that does not align with the chunk size
local total = 64 * #chunk            -- 4 MiB

local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
local echo = spawn(function()
  local c = T.ok(server:accept_async())
  local n = 0
  while n < total do
    local d = T.ok(c:receive_async())
    n = n + #d
    T.ok(c:send_async(d))
  end
  c:close()
  return n
end)

local s = create_tcp_socket()
T.ok(s:connect_async("127.0.0.1", port))
-- send everything first (the echo comes back and piles up unread on our side), then read it all
local sender = spawn(function()
  for _ = 1, 64 do T.ok(s:send_async(chunk)) end
end)
sleep(0.2)
-- receive_async(n) returns up to n bytes, as soon as any are there: a chunk may come in pieces
local function receive_exactly(sock, n)
  local parts, have = {}, 0
  while have < n do
    local d = T.ok(sock:receive_async(n - have))
    T.ok(#d >= 1 and #d <= n - have, "1..n bytes")
    parts[#parts + 1] = d
    have = have + #d
  end
  return table.concat(parts)
end
local got = 0
for i = 1, 64 do
  local d = receive_exactly(s, #chunk)
  if d ~= chunk then error("chunk " .. i .. " differs") end
  got = got + #d
end
sender:await()
T.eq(got, total)
T.eq(echo:await(), total)
s:close()
server:close()
