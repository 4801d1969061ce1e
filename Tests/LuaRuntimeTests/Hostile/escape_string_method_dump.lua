-- attack: reach string.dump as a method on a string value.
-- expect: error "escape_string_method_dump.lua:3: attempt to call a nil value (method 'dump')"
return ("x"):dump()
