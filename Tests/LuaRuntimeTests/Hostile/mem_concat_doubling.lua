-- attack: double a string with .. until memory runs out.
-- expect: limit.memory
local s = "x"
while true do s = s .. s end
