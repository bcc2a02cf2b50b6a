-- a task-style and a callback-style client side by side against one callback-style server
local server = net.TCPServer()
local port = server:start("127.0.0.1", 0, function(client, ip, p)
  local function loop()
    client:readUntil("\n", {
      success = function(line) client:send(line:upper() .. "\n"); loop() end,
      error = function() client:close() end,
    })
  end
  loop()
end)

local cb_done = T.expect(1, "callback client")
local task_done = T.expect(1, "task client")
local remaining = 2
local function one_done()
  remaining = remaining - 1
  if remaining == 0 then server:stop() end
end

local cbs = net.TCPSocket()
cbs:connect("127.0.0.1", port, {
  success = function()
    local i = 0
    local function step()
      i = i + 1
      if i > 20 then cbs:close(); cb_done(); one_done(); return end
      cbs:send("cb " .. i .. "\n")
      cbs:readUntil("\n", { success = function(l) T.eq(l, "CB " .. i); step() end,
                            error = function(e) error(e) end })
    end
    step()
  end,
  error = function(e) error(e) end,
})

local t = spawn(function()
  local s = create_tcp_socket()
  T.ok(s:connect_async("127.0.0.1", port))
  for i = 1, 20 do
    T.ok(s:send_async("task " .. i .. "\n"))
    T.eq(s:receive_async("*l"), "TASK " .. i)
  end
  s:close()
  task_done()
  one_done()
end)
t:await()
