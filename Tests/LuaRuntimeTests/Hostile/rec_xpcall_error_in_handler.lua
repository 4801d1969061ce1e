-- attack: 5.4.4's "Lua-stack overflow when C stack overflows while handling an error"
--         (xpcall(loop, loop), from Lua's bug list).
-- expect: ok
-- stdout: false
-- stdout: error in error handling
local function loop() assert(pcall(loop)) end
return xpcall(loop, loop)
