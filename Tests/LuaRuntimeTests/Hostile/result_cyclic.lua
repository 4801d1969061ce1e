-- attack: a cyclic result, for the host to follow forever.
-- expect: error "result_cyclic.lua: table contains a cycle"
local t = {}
t.self = t
return t
