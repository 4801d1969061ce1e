-- attack: grow a table without bound.
-- expect: limit.memory
local t = {}
for i = 1, math.maxinteger do t[i] = i end
