-- attack: utf8.codes (an unfixed validation bug in 5.4.4).
-- expect: error "escape_utf8_codes.lua:3: attempt to call a nil value (field 'codes')"
for _, c in utf8.codes("\xF4\x90\x80\x80") do end
