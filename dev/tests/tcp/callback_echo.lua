-- callback style: a TCPServer echoing, a TCPSocket sending every byte value 0..255 and reading it back
local bytes = {}
for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
local payload = table.concat(bytes)
local done = T.expect(1, "echoed")

local server = net.TCPServer()
local port = server:start("127.0.0.1", 0, function(client, ip, p)
  T.eq(ip, "127.0.0.1")
  T.ok(p > 0)
  local function loop()
    client:read({
      success = function(data) client:send(data, { success = loop }) end,
      error = function(err) T.ok(err:find("^closed"), err); client:close() end,
    })
  end
  loop()
end)
T.ok(port > 0, "bound port")

local sock = net.TCPSocket({ timeout = 2000 })
local got = {}
local function readn(n, k)
  if n <= 0 then return k() end
  sock:read({
    success = function(d) got[#got + 1] = d; readn(n - #d, k) end,
    error = function(e) error("read failed: " .. e) end,
  })
end
sock:connect("127.0.0.1", port, {
  success = function()
    sock:send(payload, {
      success = function(n)
        T.eq(n, 256)
        readn(256, function()
          T.eq(table.concat(got), payload, "binary round trip")
          done()
          sock:close()
          server:stop()
        end)
      end,
      error = function(e) error("send failed: " .. e) end,
    })
  end,
  error = function(e) error("connect failed: " .. e) end,
})
