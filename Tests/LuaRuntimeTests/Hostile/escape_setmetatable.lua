-- attack: give a table a metatable (the door to __gc, __close, __concat, __tostring).
-- expect: error "escape_setmetatable.lua:3: undefined global 'setmetatable'"
local t = setmetatable({}, { __index = function() return 1 end })
