-- attack: table.unpack of 100 million values in one call.
-- expect: error "c_unpack_huge_range.lua:3: too many results to unpack"
return table.unpack({}, 1, 1e8)
