-- SignaKit's REST pattern (its rest_api_demo.lua, written here anew): an HTTP GET written by hand on a raw TCP
-- socket, the whole response read with receive_async(4096) until "closed". The HTTP server is eplua's, in Lua; its
-- body is larger than one read, and must arrive complete: the bytes before the end of the stream are not lost.
local big = {}
for i = 1, 400 do big[#big + 1] = ("line %04d of the body\n"):format(i) end
big = table.concat(big) -- 8.4 KB

local srv = net.HTTPServer()
local port = T.ok(srv:start("127.0.0.1", 0, function(method, path)
  if path == "/get?msg=HelloEplua" then return { msg = "HelloEplua", method = method } end
  if path == "/big" then return big end
  return "not found", 404
end))

local function http_get(host, path, p)
  local tcp = create_tcp_socket()
  local ok, err = tcp:connect_async(host, p)
  if not ok then return nil, "connection failed: " .. tostring(err) end
  tcp:send_async(("GET %s HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\nConnection: close\r\n\r\n"):format(path, host))
  local response = ""
  while true do
    local chunk, rerr = tcp:receive_async(4096)
    if chunk then
      response = response .. chunk
    elseif rerr == "closed" then
      break
    else
      return nil, "receive error: " .. tostring(rerr)
    end
  end
  tcp:close()
  local header_end = response:find("\r\n\r\n", 1, true)
  if not header_end then return response, "incomplete response" end
  return response:sub(header_end + 4), nil, response:sub(1, header_end - 1)
end

local task = spawn(function()
  local body, err, headers = http_get("127.0.0.1", "/get?msg=HelloEplua", port)
  T.ok(body, err)
  T.eq(err, nil)
  T.ok(headers:find("^HTTP/1.1 200"), headers)
  T.eq(body:match('"msg":%s*"([^"]+)"'), "HelloEplua")
  local big_body, err2, big_headers = http_get("127.0.0.1", "/big", port)
  T.eq(err2, nil)
  T.eq(tonumber(big_headers:match("[Cc]ontent%-[Ll]ength: (%d+)")), #big)
  T.eq(big_body, big, "the whole body, nothing lost at the end of the stream")
  return true
end)
T.ok(task:await(10000))
srv:stop()
