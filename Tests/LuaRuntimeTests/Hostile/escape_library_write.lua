-- attack: replace a library function (string.rep is the size-checked wrapper).
-- expect: error "escape_library_write.lua:3: 'string' is read-only"
string.rep = function(s) return s end
