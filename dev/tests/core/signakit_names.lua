-- SignaKit's names: sleep_ms, get_time_seconds, log, on_cleanup.
local t0 = get_time_seconds()
T.eq(type(t0), "number")
T.ok(math.abs(t0 - os.time()) < 2, "the wall clock in seconds")
sleep_ms(20)
local dt = get_time_seconds() - t0
T.ok(dt >= 0.019 and dt < 1, "sleep_ms(20) slept " .. dt .. " s, with fractions")
T.raises(function() sleep_ms("soon") end, "bad argument #1 to 'sleep_ms' (number expected, got string)")

T.eq(type(log), "function")
T.raises(function() on_cleanup(nil) end, "bad argument #1 to 'on_cleanup' (function expected, got nil)")
T.eq(is_app_running(), true)
