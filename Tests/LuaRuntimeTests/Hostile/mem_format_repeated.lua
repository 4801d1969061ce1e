-- attack: string.format('%s', big) again and again, keeping every copy.
-- expect: limit.memory
local big = ("x"):rep(1024 * 1024)
local keep = {}
for i = 1, 1000 do keep[i] = string.format("%s%d", big, i) end
