-- EPLua's HTTP behaviour: a client timeout reaches the error callback as exactly "timeout"; server:start(nil, port)
-- listens on 127.0.0.1; a server stopped from a task has closed its port when stop() returns.
local srv = net.HTTPServer()
local port = T.ok(srv:start(nil, 0, function(method, path)
  if path == "/slow" then sleep(0.3) end
  return "ok " .. path
end))
T.ok(srv:isRunning())
local r = T.ok(http.request("http://127.0.0.1:" .. port .. "/x"))
T.eq(r.body, "ok /x", "a nil host listens on 127.0.0.1")

local timed_out = T.expect(1, "error callback")
local outcome = nil
net.HTTPClient():request("http://127.0.0.1:" .. port .. "/slow", {
  options = { timeout = 50 },
  success = function() outcome = "success" end,
  error = function(err) outcome = err; timed_out() end,
})
while outcome == nil do sleep(0.01) end
T.eq(outcome, "timeout", "exactly the word, as EPLua passes it")

-- task style keeps the detail after the word
local _, err = http.request({ url = "http://127.0.0.1:" .. port .. "/slow", timeout = 50 })
T.eq(err:match("^%a+"), "timeout"); T.ok(#err > #"timeout", err)

srv:stop()
T.eq(srv:isRunning(), false)
local gone, gerr = http.request("http://127.0.0.1:" .. port .. "/x")
T.eq(gone, nil); T.eq(gerr:match("^%a+"), "refused", gerr)
