-- attack: table.concat over 1..maxinteger of an empty table.
-- expect: error "c_concat_huge_range.lua:3: table.concat over more than 16777216 items is more than the limit"
return table.concat({}, "", 1, math.maxinteger)
