-- attack: string.format with a huge width, to build a huge string in C.
-- expect: error "format_huge_width.lua:3: invalid conversion specification: '%99999999d'"
return string.format("%99999999d", 1)
