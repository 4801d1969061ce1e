-- attack: an infinite tail call (constant stack, never a stack overflow).
-- expect: limit.time
-- args: --timeout 500ms
local function f(n) return f(n + 1) end
return f(1)
