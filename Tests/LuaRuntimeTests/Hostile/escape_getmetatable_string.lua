-- attack: reach the shared string metatable to replace string methods for the host.
-- expect: error "escape_getmetatable_string.lua:3: undefined global 'getmetatable'"
local mt = getmetatable("")
mt.__index = { upper = function() return "pwned" end }
