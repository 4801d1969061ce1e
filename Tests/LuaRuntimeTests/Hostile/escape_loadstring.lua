-- attack: the Lua 5.1 name for load.
-- expect: error "escape_loadstring.lua:3: undefined global 'loadstring'"
local f = loadstring("return 1")
