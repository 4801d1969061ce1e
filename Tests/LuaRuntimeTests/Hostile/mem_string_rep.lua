-- attack: one string.rep just under the string-size check, over the memory limit.
-- expect: limit.memory
local s = string.rep("x", 15 * 1024 * 1024)
