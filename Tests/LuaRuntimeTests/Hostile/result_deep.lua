-- attack: a result nested 100000 levels deep, to overflow the host's stack.
-- expect: error "result_deep.lua: table nested deeper than 64 levels"
local t = {}
for i = 1, 100000 do t = { t } end
return t
