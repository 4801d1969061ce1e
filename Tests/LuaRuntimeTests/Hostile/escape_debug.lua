-- attack: reach the registry (host metatables, host functions) with debug.getregistry.
-- expect: error "escape_debug.lua:3: undefined global 'debug'"
local registry = debug.getregistry()
for k, v in pairs(registry) do print(k, v) end
