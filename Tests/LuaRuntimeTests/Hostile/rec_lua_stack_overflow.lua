-- attack: unbounded non-tail recursion in Lua (with room enough to reach Lua's own limit).
-- expect: error "rec_lua_stack_overflow.lua:4: stack overflow"
-- args: --memory-limit 64MB
local function f(n) return 1 + f(n + 1) end
return f(1)
