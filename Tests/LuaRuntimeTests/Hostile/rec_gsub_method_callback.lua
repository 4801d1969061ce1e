-- attack: the same recursion through the string method: the overflow is raised inside the
--         C call, so Lua's message has no position.
-- expect: error "C stack overflow"
local function f(s) return (s:gsub(".", f)) end
return f("ab")
