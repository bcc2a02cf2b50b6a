-- SignaKit's TCP pattern (its test/tcp_test.lua, written here anew): a task connects, sends a line, and reads with
-- receive_async(1024) while the socket is open until the server closes ("closed" ends the loop). The server is
-- eplua's own: it echoes each line in upper case, then closes after "bye".
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
spawn(function()
  local c = T.ok(server:accept_async())
  while true do
    local line = c:receive_async("*l")
    if line == nil or line == "bye" then break end
    c:send_async(line:upper() .. "\n")
  end
  c:send_async("BYE\n")
  c:close()
end)

local finished = T.expect(1, "client finished")
local client = spawn(function()
  local tcp = create_tcp_socket()
  local ok, err = tcp:connect_async("127.0.0.1", port)
  T.ok(ok, err)
  tcp:send_async("Hello from a SignaKit-style task!\n")
  tcp:send_async("bye\n")
  local received = {}
  while tcp:is_open() do
    local data, rerr = tcp:receive_async(1024)
    if data then
      T.ok(#data >= 1 and #data <= 1024, "receive_async(n): 1..n bytes")
      received[#received + 1] = data
    elseif rerr == "closed" then
      break
    else
      error("receive error: " .. tostring(rerr))
    end
  end
  tcp:close()
  finished()
  return table.concat(received)
end)
T.eq(client:await(5000), "HELLO FROM A SIGNAKIT-STYLE TASK!\nBYE\n")

-- the same client against a port nobody listens on: connect_async returns nil, err ("refused ...")
local gone = create_tcp_server()
local free = T.ok(gone:listen("127.0.0.1", 0))
gone:close()
local ok, err = create_tcp_socket():connect_async("127.0.0.1", free)
T.eq(ok, nil); T.eq(err:match("^%a+"), "refused", err)
server:close()
