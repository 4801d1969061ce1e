-- attack: recursion through pcall until the C stack is full, each level catching the error.
-- expect: ok
-- stdout: true
local depth = 0
local function f() depth = depth + 1 pcall(f) end
f()
return depth > 100
