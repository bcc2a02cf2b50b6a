-- SignaKit's coroutine pattern (its test/async_test.lua, written here anew): several tasks counting at different
-- rates with sleep, one spinning on yield() as a per-frame loop, and a socket task; all make progress together and
-- stop when asked (is_app_running() stays true meanwhile).
local stop = false
local counts = { fast = 0, slow = 0, frames = 0 }

local fast = spawn(function()
  while not stop do counts.fast = counts.fast + 1; sleep(0.01) end
end)
local slow = spawn(function()
  while not stop do counts.slow = counts.slow + 1; sleep(0.05) end
end)
local frames = spawn(function()
  while not stop and is_app_running() do counts.frames = counts.frames + 1; yield() end
end)

-- a socket round trip while the others run
local server = create_tcp_server()
local port = T.ok(server:listen("127.0.0.1", 0))
local echo = spawn(function()
  local c = T.ok(server:accept_async())
  local d = T.ok(c:receive_async(64))
  T.ok(c:send_async(d))
  c:close()
end)
local io = spawn(function()
  local tcp = create_tcp_socket()
  T.ok(tcp:connect_async("127.0.0.1", port))
  T.ok(tcp:send_async("ping"))
  local got = {}
  while true do
    local d, err = tcp:receive_async(64)
    if not d then T.eq(err, "closed"); break end
    got[#got + 1] = d
  end
  tcp:close()
  return table.concat(got)
end)
T.eq(io:await(5000), "ping", "the socket task is served while another task spins on yield()")
echo:await()

sleep(0.2)
stop = true
fast:await(); slow:await(); frames:await()
T.ok(counts.fast >= 5, "the 10 ms counter ran: " .. counts.fast)
T.ok(counts.slow >= 2, "the 50 ms counter ran: " .. counts.slow)
T.ok(counts.frames > counts.fast, "the yield() loop ran more often than the sleeper: " .. counts.frames)
server:close()
