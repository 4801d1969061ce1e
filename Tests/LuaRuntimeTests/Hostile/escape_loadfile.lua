-- attack: compile a file of the host, binary chunks included, with loadfile.
-- expect: error "escape_loadfile.lua:3: undefined global 'loadfile'"
local f = loadfile("/etc/hostname", "b")
