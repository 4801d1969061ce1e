-- attack: a conversion strftime may not know (undefined behaviour in C).
-- expect: error "os_date_odd_format.lua:3: bad argument #1 to 'date' (invalid conversion specifier '%Ez')"
return os.date("%Ez")
