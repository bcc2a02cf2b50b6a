-- HTTP client requests/s from Lua against a local server. ARGS[1] = url, ARGS[2] = requests, ARGS[3] = concurrency.
local url, n, conc = ARGS[1], tonumber(ARGS[2] or 20000), tonumber(ARGS[3] or 1)
local function run(count)
  local t0 = os.clock()
  local per = math.floor(count / conc)
  local tasks = {}
  for w = 1, conc do
    tasks[w] = spawn(function()
      for i = 1, per do
        local r = assert(http.request(url))
        assert(r.status == 200)
      end
    end)
  end
  for w = 1, conc do tasks[w]:await() end
  return per * conc / (os.clock() - t0)
end
run(math.min(n, 3000)) -- warm-up
print(("client: %d requests, concurrency %d: %d req/s"):format(n, conc, math.floor(run(n))))
