-- eplua demo: json, tasks, an HTTP server and client in one script, then timers; it exits by itself.
-- Run: java -jar eplua-cli/target/eplua.jar dev/examples/demo.lua
print("== eplua demo ==")

-- json: encode and decode (arrays keep their order, so the text is stable)
local text = json.encode({ "lua", 5.2, true })
print("json.encode -> " .. text)
local back = json.decode('{"name": "eplua", "tags": ["loop", "tasks"]}')
print("json.decode -> name=" .. back.name .. ", tags=" .. table.concat(back.tags, ","))

-- tasks: coroutines run by the loop; sleep suspends one task, never the loop
local worker = spawn(function(n)
  sleep(0.1)
  return n * 2
end, 21)
local waiter = spawn(function()
  local v = worker:await()
  print("task: the waiter got " .. v .. " from the worker")
  return v
end)
waiter:await() -- the main chunk is a task too, so it may await
print("task: worker " .. worker:status() .. ", waiter " .. waiter:status())

-- HTTP: a server on a free port and a request to it from the same script
if net and net.HTTPServer and http and http.request then
  local server = net.HTTPServer()
  local port = assert(server:start("127.0.0.1", 0, function(method, path)
    return "hello from eplua (" .. method .. " " .. path .. ")", 200
  end))
  local resp, err = http.request("http://127.0.0.1:" .. port .. "/hello")
  if resp then
    print("http: " .. resp.status .. " " .. resp.body)
  else
    print("http: request failed: " .. tostring(err))
  end
  server:stop()
  print("http: server stopped")
else
  print("http: the net modules are not on the class path; skipped")
end

-- timers: they fire after the main chunk has finished; the process exits once none is left
local ticks = 0
local id
id = setInterval(function()
  ticks = ticks + 1
  print("timer: tick " .. ticks)
  if ticks == 3 then
    clearInterval(id)
    print("timer: interval cleared")
  end
end, 100)
setTimeout(function() print("timer: timeout after 450 ms, nothing left: bye") end, 450)
print("main chunk done; the loop runs until the timers are done")
