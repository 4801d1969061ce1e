-- attack: a __gc finalizer that loops (finalizers run with hooks off, even at lua_close).
-- expect: error "meta_gc.lua:3: undefined global 'setmetatable'"
setmetatable({}, { __gc = function() while true do end end })
