-- attack: bypass the read-only globals with rawset.
-- expect: error "escape_rawset.lua:3: undefined global 'rawset'"
rawset(_ENV, "print", function() end)
