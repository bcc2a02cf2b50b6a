-- our HTTP client against our HTTP server: GET, POST body, headers, status, JSON, binary, keep-alive, errors
local srv = net.HTTPServer()
local port = assert(srv:start("127.0.0.1", 0, function(method, path, body, headers)
  if path == "/hello" then return "hello " .. method, 200, { ["X-Test"] = "yes" } end
  if path == "/echo" then return body, 201, { ["Content-Type"] = "application/octet-stream" } end
  if path == "/json" then return { a = 1, b = { "x" } } end
  if path == "/slow" then sleep(0.2); return "slow" end
  if path == "/hdr" then return headers["x-custom"] end
  if path == "/boom" then error("handler failed on purpose") end
  return "nope", 404
end))
T.ok(port > 0, "bound port")
T.ok(srv:isRunning())
local dup, derr = net.HTTPServer():start("127.0.0.1", port, function() end)
T.eq(dup, nil); T.eq(derr:match("^%a+"), "bind", derr)
T.raises(function() srv:start("127.0.0.1", 0, "not a function") end, "bad argument #3 to 'start'")
T.raises(function() http.request(42) end, "bad argument #1 to 'request'")
local base = "http://127.0.0.1:" .. port

local r, err = http.request(base .. "/hello")
T.ok(r, err)
T.eq(r.status, 200)
T.eq(r.body, "hello GET")
T.eq(r.headers["x-test"], "yes")
T.eq(r.headers["content-type"], "text/plain; charset=utf-8")

local bin = ""
for i = 0, 255 do bin = bin .. string.char(i) end
r = assert(http.request({ url = base .. "/echo", method = "POST", body = bin }))
T.eq(r.status, 201)
T.eq(#r.body, 256)
T.eq(r.body, bin)

r = assert(http.request({ url = base .. "/hdr", headers = { ["X-Custom"] = "abc" } }))
T.eq(r.body, "abc")

r = assert(http.request(base .. "/json"))
T.eq(r.headers["content-type"], "application/json")
T.same(json.decode(r.body), { a = 1, b = { "x" } })

r = assert(http.request(base .. "/missing"))
T.eq(r.status, 404)

-- a slow handler does not block others: start a slow one, a fast one finishes first
local order = {}
local slow = spawn(function() local x = http.request(base .. "/slow"); order[#order + 1] = x.body end)
local fast = spawn(function() local x = http.request(base .. "/hello"); order[#order + 1] = x.body end)
slow:await(); fast:await()
T.same(order, { "hello GET", "slow" })

-- timeout
local _, terr = http.request({ url = base .. "/slow", timeout = 50 })
T.eq(terr and terr:match("^%a+"), "timeout")

-- callback style
local done = T.expect(1, "success callback")
local client = net.HTTPClient()
client:request(base .. "/hello", { options = { method = "PUT", headers = { A = "b" } },
  success = function(resp)
    T.eq(resp.status, 200); T.eq(resp.data, "hello PUT"); T.eq(type(resp.headers), "table")
    done()
    srv:stop() -- the last user of the server
    T.ok(not srv:isRunning())
  end,
  error = function(e) error("unexpected error " .. tostring(e)) end })

-- refused: a port that is bound but does not listen (the local end of a connected TCP socket). (A port whose server
-- was just stopped may still take the connection and reset it: NIO closes a registered listening socket at the
-- loop's next select.)
local probe = create_tcp_server()
local probe_port = T.ok(probe:listen("127.0.0.1", 0))
local holder = create_tcp_socket()
T.ok(holder:connect_async("127.0.0.1", probe_port))
local _, p2 = holder:getsockname()
local refused = T.expect(1, "error callback")
client:request("http://127.0.0.1:" .. p2 .. "/", { success = function() error("should fail") end,
  error = function(e) T.ok(e:match("^refused"), e); refused(); holder:close(); probe:close() end })
local _, rerr = http.request("http://127.0.0.1:" .. p2 .. "/")
T.ok(rerr:match("^refused"), rerr)
-- a url that is not http(s)://host is misuse
T.raises(function() http.request("ftp://x/") end, "bad argument #1 to 'request' (http or https url expected")
T.raises(function() client:request("http://", {}) end, "bad argument #1 to 'request'")

