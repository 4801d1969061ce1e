-- attack: create files with os.tmpname (it creates the file it names).
-- expect: error "escape_os_tmpname.lua:3: attempt to call a nil value (field 'tmpname')"
local name = os.tmpname()
