-- attack: dump a function to bytecode, the first step to a forged binary chunk.
-- expect: error "escape_string_dump.lua:3: attempt to call a nil value (field 'dump')"
local code = string.dump(function() return 1 end)
