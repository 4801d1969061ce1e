-- attack: an error object whose __tostring loops, for the host to call when it reports it.
-- expect: error "meta_tostring_loops.lua:3: undefined global 'setmetatable'"
error(setmetatable({}, { __tostring = function() while true do end end }))
