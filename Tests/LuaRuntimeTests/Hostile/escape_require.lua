-- attack: load a C module or a Lua file from the search path with require.
-- expect: error "escape_require.lua:4: undefined global 'require'"
-- marker: /tmp/steward-hostile-require-marker
local io = require("io")
io.open("/tmp/steward-hostile-require-marker", "w"):write("escaped")
