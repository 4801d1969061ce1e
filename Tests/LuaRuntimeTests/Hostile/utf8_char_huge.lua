-- attack: utf8.char beyond the largest code point.
-- expect: error "utf8_char_huge.lua:3: bad argument #1 to 'char' (value out of range)"
return utf8.char(math.maxinteger)
