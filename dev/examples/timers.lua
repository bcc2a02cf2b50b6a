-- Timer order: by due time, ties in creation order; setTimeout(fn, 0) runs after the current chunk.
local t0 = 0
setTimeout(function() print("3: 0 ms timeout (after the main chunk)") end, 0)
setTimeout(function() print("6: 200 ms") end, 200)
setTimeout(function() print("4: 50 ms, created first") end, 50)
setTimeout(function() print("5: 50 ms, created second") end, 50)
local never = setTimeout(function() print("never printed") end, 100)
clearTimeout(never)
clearTimeout(never) -- clearing twice is a no-op

local n = 0
local iv
iv = setInterval(function()
  n = n + 1
  print("7: interval tick " .. n)
  if n == 3 then clearInterval(iv) end
end, 300)

-- a background (system) timer does not keep the program alive: this one never fires
setTimeout(function() print("never printed either") end, 60000, { system = true })

print("1: main chunk")
print("2: main chunk ends; timers pending")
