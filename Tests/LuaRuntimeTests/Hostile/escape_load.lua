-- attack: compile code at run time with load (and give it a chosen environment).
-- expect: error "escape_load.lua:3: undefined global 'load'"
local f = load("return io", "=x", "t", { io = nil })
