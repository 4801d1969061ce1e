-- attack: tostring chains.
-- expect: ok
-- stdout: x
local s = "x"
for i = 1, 100000 do s = tostring(tostring(tostring(s))) end
return s
