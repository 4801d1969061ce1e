-- attack: table.concat of one shared 1MB string, each item under the size check, the
--         result (12MB, plus the buffer's growth) over the memory limit.
-- expect: limit.memory
local s = ("x"):rep(1024 * 1024)
local t = {}
for i = 1, 12 do t[i] = s end
return #table.concat(t)
