-- attack: an empty string with a separator: a result of maxinteger - 1 bytes.
-- expect: error "c_rep_empty_separator.lua:3: string.rep would build 9223372036854775807 bytes, more than the limit of 16777216 bytes"
return string.rep("", math.maxinteger, ",")
