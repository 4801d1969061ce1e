-- attack: a __close handler that swallows the error unwinding through it.
-- expect: error "meta_close.lua:3: undefined global 'setmetatable'"
local x <close> = setmetatable({}, { __close = function() while true do end end })
while true do end
