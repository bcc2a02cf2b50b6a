-- 50 concurrent callback-style clients to one TCPServer: every client is accepted and served
local N = 50
local accepted = T.expect(N, "accepted")
local answered = T.expect(N, "answered")
local finished = 0

local server = net.TCPServer()
local port = server:start("127.0.0.1", 0, function(client)
  accepted()
  client:readUntil("\n", {
    success = function(line) client:send("echo:" .. line .. "\n", { success = function() end }) end,
    error = function(e) error("server read: " .. e) end,
  })
end)

for i = 1, N do
  local sock = net.TCPSocket({ timeout = 5000 })
  sock:connect("127.0.0.1", port, {
    success = function()
      sock:send("client " .. i .. "\n")
      sock:readUntil("\n", {
        success = function(line)
          T.eq(line, "echo:client " .. i)
          answered()
          sock:close()
          finished = finished + 1
          if finished == N then server:stop() end
        end,
        error = function(e) error("client read: " .. e) end,
      })
    end,
    error = function(e) error("connect: " .. e) end,
  })
end
