-- Latency of a sleep(0.1) and of a TCP echo round trip while another task spins on yield(), against the same with no
-- spinning task, in one run (issue 13: a yield must put the task behind timers and I/O; goal: p99 within +5 ms).
-- Run: dev/bench/lifecycle/run.sh, or java -jar eplua.jar dev/bench/lifecycle/latency.lua [sleep_samples] [round_trips]
local SLEEPERS = 10
local SLEEP_SAMPLES = tonumber(arg and arg[1]) or 300
local ROUND_TRIPS = tonumber(arg and arg[2]) or 2000
local MAX_SECONDS = 15 -- per measurement: a starved loop (eplua before issue 13) takes ~1 s per sample

-- a monotonic clock in milliseconds (System.nanoTime: the same on every eplua version, for before/after runs)
local System = luajava.bindClass("java.lang.System")
local function now_ms() return System:nanoTime() / 1e6 end

local function percentile(samples, p)
  table.sort(samples)
  return samples[math.max(1, math.ceil(#samples * p))]
end

-- an echo server, task style: one task per connection, a line at a time
local server = create_tcp_server()
local port = assert(server:listen("127.0.0.1", 0))
spawn(function()
  while true do
    local c = server:accept_async()
    if not c then return end
    spawn(function()
      while true do
        local line = c:receive_async("*l")
        if not line then c:close() return end
        c:send_async(line .. "\n")
      end
    end)
  end
end)

-- how late sleep(0.1) wakes, in ms: SLEEPERS tasks side by side, staggered
local function sleep_lateness(n)
  local samples, tasks = {}, {}
  for i = 1, SLEEPERS do
    tasks[i] = spawn(function()
      sleep(0.1 * i / SLEEPERS)
      local deadline = now_ms() + MAX_SECONDS * 1000
      for _ = 1, math.ceil(n / SLEEPERS) do
        if now_ms() > deadline then break end
        local t0 = now_ms()
        sleep(0.1)
        samples[#samples + 1] = now_ms() - t0 - 100
      end
    end)
  end
  for _, t in ipairs(tasks) do t:await() end
  return samples
end

-- TCP echo round trips of a short line, in ms
local function echo_rtt(n)
  local c = create_tcp_socket()
  assert(c:connect_async("127.0.0.1", port))
  local samples = {}
  local deadline = now_ms() + MAX_SECONDS * 1000
  for i = 1, n do
    if now_ms() > deadline then break end
    local t0 = now_ms()
    assert(c:send_async("ping\n"))
    assert(c:receive_async("*l") == "ping")
    samples[i] = now_ms() - t0
  end
  c:close()
  return samples
end

local function phase(name, spin)
  local stop, turns = false, 0
  local spinner = spin and spawn(function() while not stop do turns = turns + 1; yield() end end)
  local t0 = now_ms()
  local s = sleep_lateness(SLEEP_SAMPLES)
  local e = echo_rtt(ROUND_TRIPS)
  local secs = (now_ms() - t0) / 1000
  stop = true
  if spinner then spinner:await() end
  print(("%-20s sleep(0.1) late by p50 %7.2f ms p99 %7.2f ms (n=%d) | tcp echo rtt p50 %7.3f ms p99 %8.3f ms (n=%d)%s"):format(
    name, percentile(s, 0.5), percentile(s, 0.99), #s, percentile(e, 0.5), percentile(e, 0.99), #e,
    spin and ("  | spinner %d yields/s"):format(math.floor(turns / secs)) or ""))
end

-- warm up (JIT, pools), then the two phases side by side, twice
sleep_lateness(SLEEPERS * 3)
echo_rtt(2000)
for round = 1, 2 do
  phase("no spinner (" .. round .. ")", false)
  phase("yield() spinner (" .. round .. ")", true)
end
server:close()
