-- attack: a to-be-closed variable holding a value with no __close.
-- expect: error "meta_close_misuse.lua:3: variable 'x' got a non-closable value"
local x <close> = 42
