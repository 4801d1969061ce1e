-- attack: unbounded non-tail recursion in Lua, under a tight memory limit.
-- expect: limit.memory
local function f(n) return 1 + f(n + 1) end
return f(1)
