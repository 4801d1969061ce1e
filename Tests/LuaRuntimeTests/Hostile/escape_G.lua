-- attack: reach the real global table through _G.
-- expect: error "escape_G.lua:3: undefined global '_G'"
local io = _G.io
