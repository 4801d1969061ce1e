-- attack: accumulate closures, each with its own upvalue.
-- expect: limit.memory
local fs = {}
for i = 1, math.maxinteger do
  local x = i
  fs[i] = function() return x end
end
