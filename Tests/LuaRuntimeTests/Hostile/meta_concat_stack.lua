-- attack: a __concat metamethod that grows the stack (segfaults Debian's 5.4.4).
-- expect: error "meta_concat_stack.lua:3: undefined global 'setmetatable'"
local t = setmetatable({}, { __concat = function(a, b) return a .. b .. {} end })
return t .. t .. t .. t
